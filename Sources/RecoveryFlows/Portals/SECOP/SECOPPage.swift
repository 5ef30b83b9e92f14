import HTTPCore
import Templates

/// A SECOP II page to render: which template, with what, under which status.
///
/// The recovery steps decide the page; the web glue adds what every page of the shell
/// carries (the CSRF field's value, the layout's own values) and renders it. Keeping the
/// decision here makes it testable without a server.
public struct SECOPPage: Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPStatus
    /// The template name under the templates folder, e.g. `secop/olvide-contrasena`.
    public var template: String
    /// The page title (the layout's `<title>`).
    public var title: String
    /// The values the template reads.
    public var context: [String: TemplateValue]
    /// Whether the page carries a reset token: then it must send `Referrer-Policy: no-referrer`
    /// so the token never leaks to another site through the Referer header (DESIGN.md, Rules).
    public var carriesToken: Bool

    /// Creates a value from its fields.
    public init(status: HTTPStatus = .ok, template: String, title: String, context: [String: TemplateValue],
                carriesToken: Bool = false) {
        self.status = status
        self.template = template
        self.title = title
        self.context = context
        self.carriesToken = carriesToken
    }
}
