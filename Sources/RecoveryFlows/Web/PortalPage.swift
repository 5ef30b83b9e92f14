import HTTPCore
import Templates

/// A page to render: which template, with what, under which status. The middle layer of every
/// portal (outcome → page) returns these, so what a person sees is decided and tested without a
/// server; the routes layer renders it in the shell's layout (``WebRequest/render(_:)``), which
/// adds what every page carries (the CSRF field, the notice, the theme).
public struct PortalPage: Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPStatus
    /// The template name under the templates folder, without `.html`: `secop/olvide-contrasena`.
    public var template: String
    /// The page title (the layout's `<title>`).
    public var title: String
    /// The values the template reads.
    public var context: [String: TemplateValue]
    /// The values typed and the errors of a form shown again (`valores`, `errores`, ...).
    public var form: FormState
    /// Whether the page carries a reset token: then it must send `Referrer-Policy: no-referrer`
    /// so the token never leaks to another site through the Referer header (DESIGN.md, Rules).
    public var carriesToken: Bool

    /// A page of `template` titled `title`; every other part has the plain default.
    public init(status: HTTPStatus = .ok, template: String, title: String, context: [String: TemplateValue] = [:],
                form: FormState = FormState(), carriesToken: Bool = false) {
        self.status = status
        self.template = template
        self.title = title
        self.context = context
        self.form = form
        self.carriesToken = carriesToken
    }
}

extension WebRequest {
    /// Renders `page` in the shell's layout; `no-referrer` when it carries a token or
    /// `noReferrer` says so (every answer of a link's route).
    public func render(_ page: PortalPage, noReferrer: Bool = false) throws -> HTTPResponse {
        let response = try self.page(page.template + ".html", title: page.title, values: page.context,
                                     form: page.form, status: page.status)
        return page.carriesToken || noReferrer ? response.noReferrer() : response
    }
}
