/// A value a template can print, test or loop over.
///
/// The web layer builds a context from these, usually with plain literals:
///
/// ```swift
/// let context: [String: TemplateValue] = [
///     "correo": .string(email),
///     "errores": ["El correo no es válido."],
///     "intentos": 3,
///     "bloqueado": false,
/// ]
/// ```
///
/// Strings are escaped when printed into an HTML template; only ``trustedHTML(_:)`` is printed
/// as it is, so markup the server built itself can be passed through on purpose.
public enum TemplateValue: Sendable, Equatable {
    /// Text; HTML-escaped when printed into an HTML template.
    case string(String)
    /// A flag; printed as `true`/`false`, tested by `{{#if}}`.
    case bool(Bool)
    /// A whole number, printed in decimal.
    case int(Int)
    /// A sequence for `{{#each}}`.
    case list([TemplateValue])
    /// Named values, reached with dotted paths (`{{ usuario.correo }}`).
    case dictionary([String: TemplateValue])
    /// Markup the server trusts (built from escaped parts or constants): printed without
    /// escaping even in HTML templates. Never put user input here.
    case trustedHTML(String)

    /// Whether `{{#if}}` takes its first branch: `false`, `0`, empty text, an empty list and
    /// an empty dictionary are false; a missing value is false too (see ``TemplateSet``).
    public var isTruthy: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .bool(let flag): flag
        case .int(let number): number != 0
        case .list(let items): !items.isEmpty
        case .dictionary(let entries): !entries.isEmpty
        case .trustedHTML(let markup): !markup.isEmpty
        }
    }

    /// The value under `key` when this is a dictionary, otherwise `nil`.
    public subscript(key: String) -> TemplateValue? {
        if case .dictionary(let entries) = self { return entries[key] }
        return nil
    }
}

extension TemplateValue: ExpressibleByStringLiteral {
    /// A string literal is a ``string(_:)`` value, so escaping stays the default.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByStringInterpolation {}

extension TemplateValue: ExpressibleByBooleanLiteral {
    /// A boolean literal is a ``bool(_:)`` value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    /// An integer literal is an ``int(_:)`` value.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    /// An array literal is a ``list(_:)`` value.
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal is a ``dictionary(_:)`` value; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
