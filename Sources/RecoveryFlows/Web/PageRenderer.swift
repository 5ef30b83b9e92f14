import HTTPCore
import Templates
import UserStore

/// Renders a page template inside the layout, with what every page needs in its context:
///
/// | key | value |
/// |---|---|
/// | `portal` | the portal theme (``PortalTheme/templateValue``), absent on the chooser |
/// | `clase_cuerpo` | the `<body>` class (the portal's colours) |
/// | `csrf` | the CSRF token for the page's forms |
/// | `aviso` | the flash notice (`aviso.clase`, `aviso.texto`) |
/// | `usuario_sesion` | the logged-in user's display name on this portal |
/// | `titulo` | the page title |
/// | `desarrollo` | true in development mode |
/// | `valores`, `errores`, `error_formulario`, `hay_errores` | from ``FormState`` |
/// | `resumen_errores` | the ``ErrorSummary`` (from the form unless the page gives its own) |
///
/// A page with an error summary is titled «Error: …».
///
/// Page templates start with `{{#extends "layout"}}` and fill the `contenido` block.
extension WebRequest {
    /// Renders `template` with `values` (which win over the common keys) and `form`.
    public func page(_ template: String, title: String, values: [String: TemplateValue] = [:],
                     form: FormState = FormState(), status: HTTPStatus = .ok) throws -> HTTPResponse {
        let summary = ErrorSummary(form)
        var context = try commonValues(title: title)
        context["resumen_errores"] = summary.templateValue
        context.merge(form.templateValues) { _, new in new }
        context.merge(values) { _, new in new }
        if case .list(let items)? = context["resumen_errores"], !items.isEmpty {
            context["titulo"] = .string(ErrorSummary.errorTitle(title))
        }
        let html = try self.context.templates.render(template, context)
        return .html(html, status: status)
    }

    /// The keys every page gets.
    func commonValues(title: String) throws -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [
            "titulo": .string(title),
            "csrf": .string(try csrfToken()),
            "desarrollo": .bool(context.configuration.mode == .development),
            "clase_cuerpo": .string(portal?.cssClass ?? "portal-chooser"),
        ]
        if let portal { values["portal"] = portal.templateValue }
        if let notice { values["aviso"] = notice.templateValue }
        if let user = try? currentUser() { values["usuario_sesion"] = .string(user.displayName) }
        return values
    }
}
