/// How a ``TemplateSet`` loads and renders, with defaults fit for production.
///
/// ```swift
/// // Development: pick up edits without a restart, fail loudly on typos.
/// let templates = try TemplateSet(directory: resources.appending(path: "templates"),
///                                 options: TemplateOptions(reloadOnChange: true, strict: true))
/// ```
public struct TemplateOptions: Sendable, Equatable {
    /// Re-read the folder when a file's modification time or size changed (or files came or
    /// went). Default `false`: production parses once at start-up.
    public var reloadOnChange: Bool
    /// With ``reloadOnChange``, the folder is checked at most this often (seconds). Scanning
    /// every file on every render cost development pages over 90% of their throughput; a
    /// person saving a template and refreshing the browser never notices a second. Default 1;
    /// 0 checks on every render.
    public var reloadCheckInterval: Double
    /// Throw ``TemplateError/Kind/missingValue(_:)`` when `{{ path }}` or `{{#each path}}`
    /// names nothing, and ``TemplateError/Kind/notPrintable(_:)`` for a list printed as text.
    /// Default `false`: a missing value renders empty, so optional fields need no `#if`.
    /// `{{#if}}`/`{{#unless}}` treat a missing value as false in both modes.
    public var strict: Bool
    /// How deep partials, layouts and block fills may nest before rendering stops with
    /// ``TemplateError/Kind/tooDeep(limit:)`` instead of overflowing the stack. Default 16.
    public var maxDepth: Int
    /// File extensions (without dot) loaded from the folder. Default `html`, `htm`, `txt`.
    public var extensions: Set<String>

    /// Options with the documented defaults, each overridable.
    public init(
        reloadOnChange: Bool = false,
        reloadCheckInterval: Double = 1,
        strict: Bool = false,
        maxDepth: Int = 16,
        extensions: Set<String> = ["html", "htm", "txt"]
    ) {
        self.reloadOnChange = reloadOnChange
        self.reloadCheckInterval = max(0, reloadCheckInterval)
        self.strict = strict
        self.maxDepth = maxDepth
        self.extensions = extensions
    }
}
