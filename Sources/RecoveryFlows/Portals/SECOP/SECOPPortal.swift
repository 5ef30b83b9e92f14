import HTTPCore
import Templates
import UserStore

/// SECOP II (`/secop`): login with usuario and contraseña.
public enum SECOPPortal: PortalModule {
    /// SECOP II's theme.
    public static var theme: PortalTheme { .secop }

    /// `GET/POST /secop/ingreso`, `GET /secop/inicio`, `POST /secop/salir`.
    public static func registerLogin(in routes: inout WebRoutes) {
        routes.get("/secop/ingreso") { request in try loginPage(request, form: FormState()) }
        routes.post("/secop/ingreso") { request in try SECOPLogin.submit(request) }
        PortalSession.register(theme, template: "secop/inicio.html", title: "Inicio: SECOP II", in: &routes)
    }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("secop/ingreso.html", title: "Ingreso a SECOP II", form: form, status: status)
    }
}
