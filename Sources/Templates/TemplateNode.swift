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
