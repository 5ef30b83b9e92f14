import Templates
import HTTPCore
import UserStore

/// The home page after login and the logout, the same shape on the three portals.
enum PortalSession {
    /// `GET {prefix}/inicio` (logged-in users only) and `POST {prefix}/salir`.
    static func routes(_ theme: PortalTheme, template: String, title: String,
                       extraValues: @escaping @Sendable (User, WebRequest) throws -> [String: TemplateValue] = { _, _ in [:] })
        -> [WebRoute] {
        [
            .page(theme.prefix + "/inicio") { request in
                let user = try request.requireUser(of: theme.portal)
                if user.mustChangePassword, theme.portal == .soi {
                    throw WebRedirect("/soi/cambio-clave", notice: FlashNotice(.warning, "Debe cambiar su clave antes de continuar."))
                }
                var values: [String: TemplateValue] = ["usuario": .string(user.displayName), "correo": .string(user.email)]
                values.merge(try extraValues(user, request)) { _, new in new }
                return try request.page(template, title: title, values: values)
            },
            .form(theme.prefix + "/salir") { request in
                let userID = request.session?.userID
                try request.logOut()
                request.audit(.logout, userID: userID)
                return request.redirect(to: theme.prefix + "/ingreso", notice: FlashNotice(.success, "Cerró su sesión correctamente."))
            },
        ]
    }
}
