/// Why a template could not be loaded or rendered, and where: every error names the template
/// file and the line of the tag at fault, so `description` reads `pages/login.html:12: …`.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; callers (and tests) switch on this.
    public enum Kind: Sendable, Equatable {
        /// A `{{` (or `{{{`) with no matching `}}` (or `}}}`) before the end of the file.
        case unclosedTag
        /// A tag with nothing inside, such as `{{ }}`.
        case emptyTag
        /// A `{{#…}}` or `{{/…}}` keyword the engine does not know.
        case unknownTag(String)
        /// A variable tag whose path or filters cannot be read, such as `{{ a b }}`.
        case invalidExpression(String)
        /// A `| filter` the engine does not know.
        case unknownFilter(String)
        /// A section (`if`, `unless`, `each`, `block`) still open at the end of the file.
        case unclosedSection(String)
        /// A closing tag that does not match the open section (`found` is `nil` when none is open).
        case mismatchedClose(expected: String?, found: String)
        /// `{{else}}` outside `if`, `unless` or `each`, or twice in one section.
        case misplacedElse
        /// `{{#extends}}` that is not the first tag of the file, or appears twice.
        case misplacedExtends
        /// Text or tags outside `{{#block}}` in a template that extends a layout.
        case contentOutsideBlock
        /// Two `{{#block}}` with the same name in one template.
        case duplicateBlock(String)
        /// A `{{> partial}}` naming a template the set does not hold.
        case missingPartial(String)
        /// A `{{#extends}}` naming a layout the set does not hold.
        case missingLayout(String)
        /// ``TemplateSet/render(_:_:)`` was asked for a template the set does not hold.
        case missingTemplate(String)
        /// Partials or layouts nested deeper than ``TemplateSet/Options/maxDepth`` (usually a
        /// partial that includes itself).
        case tooDeep(limit: Int)
        /// Strict mode only: a printed or looped-over path that the context does not hold.
        case missingValue(String)
        /// Strict mode only: a list or dictionary printed with `{{ }}`.
        case notPrintable(String)
        /// HTML only: `{{ }}` right after `=` in a tag; attribute values must be quoted.
        case unquotedAttribute
        /// HTML only: a value starting a URL attribute (`href`, `src`, `action`, …) without
        /// the `| url` filter, which is what stops `javascript:` links.
        case unfilteredURL(attribute: String)
        /// HTML only: an escaped value inside `<script>` or `<style>`, where HTML escaping does
        /// not apply; pass data through attributes (`data-*`) instead, or raw if trusted.
        case valueInRawText(element: String)
        /// The template folder or a file in it could not be read.
        case unreadable(String)
        /// A template file that is not valid UTF-8.
        case invalidEncoding
    }

    /// What went wrong.
    public let kind: Kind
    /// The template's name in its set (path relative to the template folder), or the
    /// folder itself for ``Kind/unreadable(_:)``.
    public let file: String
    /// The 1-based line of the tag at fault (0 when no line applies).
    public let line: Int

    /// Creates an error; the engine makes these, tests compare against them.
    public init(_ kind: Kind, file: String, line: Int) {
        self.kind = kind
        self.file = file
        self.line = line
    }

    /// `file:line: message`, for logs and development error pages.
    public var description: String { "\(file):\(line): \(message)" }

    private var message: String {
        switch kind {
        case .unclosedTag: "tag opened with {{ is never closed"
        case .emptyTag: "empty tag"
        case .unknownTag(let tag): "unknown tag '\(tag)'"
        case .invalidExpression(let text): "cannot read expression '\(text)'"
        case .unknownFilter(let name): "unknown filter '\(name)' (known: raw, url)"
        case .unclosedSection(let name): "section '\(name)' is never closed"
        case .mismatchedClose(let expected?, let found): "'{{/\(found)}}' closes '\(expected)'"
        case .mismatchedClose(nil, let found): "'{{/\(found)}}' closes nothing"
        case .misplacedElse: "{{else}} outside if/unless/each, or repeated"
        case .misplacedExtends: "{{#extends}} must be the first tag, once"
        case .contentOutsideBlock: "a template that extends a layout may only hold blocks"
        case .duplicateBlock(let name): "block '\(name)' defined twice"
        case .missingPartial(let name): "partial '\(name)' not found"
        case .missingLayout(let name): "layout '\(name)' not found"
        case .missingTemplate(let name): "template '\(name)' not found"
        case .tooDeep(let limit): "partials or layouts nested more than \(limit) deep"
        case .missingValue(let path): "no value for '\(path)'"
        case .notPrintable(let path): "'\(path)' is a list or dictionary, not printable"
        case .unquotedAttribute: "value in an unquoted attribute; quote it"
        case .unfilteredURL(let attribute): "value starts '\(attribute)' without '| url'"
        case .valueInRawText(let element): "value inside <\(element)>, where HTML escaping does not protect"
        case .unreadable(let reason): "cannot read: \(reason)"
        case .invalidEncoding: "not valid UTF-8"
        }
    }
}
