import HTTPCore
import Templates
import UserStore

/// Cajacopi, plataforma Hanna (`/cajacopi`): login with correo and contraseña.
public enum CajacopiPortal: PortalModule {
    /// Cajacopi's theme.
    public static var theme: PortalTheme { .cajacopi }

    /// `GET/POST /cajacopi/ingreso`, `GET /cajacopi/inicio`, `POST /cajacopi/salir`.
    public static func registerLogin(in routes: inout WebRoutes) {
        routes.get("/cajacopi/ingreso") { request in try loginPage(request, form: FormState()) }
        routes.post("/cajacopi/ingreso") { request in try CajacopiLogin.submit(request) }
        PortalSession.register(theme, template: "cajacopi/inicio.html", title: "Inicio: Hanna", in: &routes)
    }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("cajacopi/ingreso.html", title: "Ingreso a Hanna", form: form, status: status)
    }
}
