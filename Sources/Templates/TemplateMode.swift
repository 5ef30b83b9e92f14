/// How printed values are escaped, chosen per template file by its extension.
///
/// `.html` files (also `.htm`) escape; `.txt` files (text emails) print values as they are,
/// since there is no markup for them to break. Any other extension is treated as HTML, the
/// safe side.
public enum TemplateMode: Sendable, Equatable {
    /// Escape `& < > " ' /` as character references (the OWASP set), so a value is inert in
    /// element content and in **quoted** attribute values. Templates must quote every
    /// attribute: the parser rejects `{{ }}` right after `=` (``TemplateError/Kind/unquotedAttribute``).
    case html
    /// Print values unchanged: for `text/plain` email bodies. Nothing is stripped or refused.
    case text

    /// The mode for a template file name: `.txt` is text, everything else HTML.
    public static func forFile(_ name: String) -> TemplateMode {
        name.hasSuffix(".txt") ? .text : .html
    }
}
