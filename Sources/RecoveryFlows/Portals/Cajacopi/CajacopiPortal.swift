import HTTPCore
import Templates
import UserStore

/// Cajacopi, plataforma Hanna (`/cajacopi`): login with correo and contraseña; recovery in
/// `CajacopiRecovery*`.
public enum CajacopiPortal: PortalModule {
    /// Cajacopi's theme.
    public static var theme: PortalTheme { .cajacopi }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("cajacopi/ingreso.html", title: "Ingreso a Hanna", form: form.showing(["correo"]), status: status)
    }
}
