/// A dotted path into the render context: `usuario.correo`, `.` (the current loop item) or a
/// loop variable (`@index`, `@number`, `@first`, `@last`, `@key`).
struct TemplatePath: Sendable, Equatable {
    /// Where the lookup starts.
    enum Head: Sendable, Equatable {
        case current, index, number, first, last, key
        case name(String)
    }

    let head: Head
    /// Keys followed through dictionaries after the head.
    let rest: [String]
    /// The path as written, for error messages.
    let text: String

    /// Reads a path, or `nil` when `text` is not one. Segments hold letters, digits, `_` and
    /// `-`; loop variables stand alone.
    init?(_ text: Substring) {
        self.text = String(text)
        if text == "." {
            head = .current
            rest = []
            return
        }
        switch text {
        case "@index": head = .index
        case "@number": head = .number
        case "@first": head = .first
        case "@last": head = .last
        case "@key": head = .key
        default:
            let segments = text.split(separator: ".", omittingEmptySubsequences: false)
            guard segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isNameByte) }) else { return nil }
            head = .name(String(segments[0]))
            rest = segments.dropFirst().map(String.init)
            return
        }
        rest = []
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

/// How a printed value leaves the engine.
enum TemplateOutput: Sendable, Equatable {
    /// Escaped for the template's mode (the default).
    case escaped
    /// As it is: `{{{ x }}}` or `{{ x | raw }}`, for trusted markup.
    case raw
    /// Checked by the URL filter (`javascript:` becomes `#`), then escaped.
    case url
}

/// A parsed template piece. Templates are parsed once into these trees and rendered many
/// times, so rendering never looks at template source again.
enum TemplateNode: Sendable {
    /// Literal text, already UTF-8.
    case text([UInt8])
    /// `{{ path }}` and its raw/url forms.
    case value(TemplatePath, TemplateOutput, line: Int)
    /// `{{#if}}` (or `{{#unless}}` when `negated`) with its `{{else}}` branch.
    case conditional(TemplatePath, negated: Bool, then: [TemplateNode], otherwise: [TemplateNode], line: Int)
    /// `{{#each}}` with the `{{else}}` branch shown for an empty or missing list.
    case loop(TemplatePath, body: [TemplateNode], empty: [TemplateNode], line: Int)
    /// `{{> name}}`, resolved against the template set at render time.
    case partial(String, line: Int)
    /// `{{#block "name"}}default{{/block}}`: filled by a page that extends this layout.
    case block(String, body: [TemplateNode], line: Int)
}

/// A name a template refers to (a partial or its layout) and the line that names it, so a
/// missing one is reported where it is written.
struct TemplateReference: Sendable, Equatable {
    let name: String
    let line: Int
}
