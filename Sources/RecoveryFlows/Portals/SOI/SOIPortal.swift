import HTTPCore
import Templates
import UserStore

/// SOI (`/soi`): login with Empresa and Usuario (document type + number each) and Clave;
/// recovery in `SOIRecovery*`.
public enum SOIPortal: PortalModule {
    /// SOI's theme.
    public static var theme: PortalTheme { .soi }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("soi/ingreso.html", title: "Autenticación", values: [
            "tipos_empresa": DocumentTypeOptions.values(DocumentTypeOptions.aportante, selected: form.values["empresa_tipo"] ?? "NIT"),
            "tipos_usuario": DocumentTypeOptions.values(DocumentTypeOptions.person, selected: form.values["usuario_tipo"] ?? "CC"),
        ], form: form.showing(["empresa_tipo", "empresa_numero", "usuario_tipo", "usuario_numero"]), status: status)
    }
}
