/// One parsed template file: its node tree plus what it refers to (layout, partials, blocks).
///
/// Made by ``TemplateSet`` when it loads a folder; parsing checks the whole syntax, so a
/// template that loads renders without syntax surprises.
///
/// The syntax:
///
/// | tag | meaning |
/// |---|---|
/// | `{{ path }}` | the value, escaped for the file's ``TemplateMode`` |
/// | `{{{ path }}}`, `{{ path \| raw }}` | the value unescaped: trusted markup only |
/// | `{{ path \| url }}` | an `http(s)` or relative URL, else `#`; then escaped |
/// | `{{#if path}}…{{else}}…{{/if}}` | first branch when the value is truthy (``TemplateValue/isTruthy``) |
/// | `{{#unless path}}…{{else}}…{{/unless}}` | the opposite |
/// | `{{#each path}}…{{else}}…{{/each}}` | the body per item of a list (or entry of a dictionary, by key order); `else` when empty |
/// | `{{ . }}`, `{{ @index }}`, `{{ @number }}`, `{{ @first }}`, `{{ @last }}`, `{{ @key }}` | inside `each`: the item, its 0- and 1-based position, flags, the dictionary key |
/// | `{{> partials/campo }}` | another template rendered here with the same context |
/// | `{{#extends "base"}}` | first tag only: render the layout `base`, filling its blocks |
/// | `{{#block "contenido"}}default{{/block}}` | in a layout, a slot with default content; in a page, what fills it |
/// | `{{! comment }}` | nothing |
///
/// Paths are dotted (`usuario.correo`); inside `each` the item's keys are looked up first,
/// then the enclosing items', then the context. A line holding only a section, partial or
/// comment tag is removed whole, so text emails keep their layout. HTML templates must quote
/// every attribute value, a value starting `href`/`src`/`action` must use `| url`, and an
/// escaped value may not appear inside `<script>` or `<style>`: all three are load errors.
public struct Template: Sendable {
    /// The template's name in its set: its path relative to the folder, with extension.
    public let name: String
    /// How its values are escaped.
    public let mode: TemplateMode
    let nodes: [TemplateNode]
    /// The layout named by `{{#extends}}`, if any.
    let layout: TemplateReference?
    /// Every `{{#block}}` in the file, by name.
    let blocks: [String: [TemplateNode]]
    /// Every `{{> partial}}` in the file, for the set's load-time check.
    let partials: [TemplateReference]

    /// Parses `source`; `mode` defaults to the one the name's extension implies.
    public init(name: String, source: String, mode: TemplateMode? = nil) throws(TemplateError) {
        let mode = mode ?? TemplateMode.forFile(name)
        var parser = TemplateParser(file: name, mode: mode)
        let tokens = try TemplateLexer.tokens(of: Array(source.utf8), file: name)
        nodes = try parser.parse(tokens)
        self.name = name
        self.mode = mode
        layout = parser.layout
        blocks = parser.blocks
        partials = parser.partials
    }
}
