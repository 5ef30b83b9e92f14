import HTTPCore
import Templates
import UserStore

/// SECOP II (`/secop`): login with usuario and contraseña; recovery in `SECOPRecovery*`.
public enum SECOPPortal: PortalModule {
    /// SECOP II's theme.
    public static var theme: PortalTheme { .secop }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("secop/ingreso.html", title: "Ingreso a SECOP II", form: form.showing(["usuario"]), status: status)
    }
}
