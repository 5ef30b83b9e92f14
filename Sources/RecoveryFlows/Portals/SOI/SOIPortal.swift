import HTTPCore
import Templates
import UserStore

/// SOI (`/soi`): login with Empresa and Usuario (document type + number each) and Clave.
public enum SOIPortal: PortalModule {
    /// SOI's theme.
    public static var theme: PortalTheme { .soi }

    /// `GET/POST /soi/ingreso`, `GET /soi/inicio`, `POST /soi/salir`.
    public static func registerLogin(in routes: inout WebRoutes) {
        routes.get("/soi/ingreso") { request in try loginPage(request, form: FormState()) }
        routes.post("/soi/ingreso") { request in try SOILogin.submit(request) }
        PortalSession.register(theme, template: "soi/inicio.html", title: "Inicio: liquidación de aportes", in: &routes)
    }

    /// The login page with `form`'s values and errors.
    static func loginPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("soi/ingreso.html", title: "Ingreso a SOI", values: [
            "tipos_empresa": DocumentTypeOptions.values(DocumentTypeOptions.aportante, selected: form.values["empresa_tipo"] ?? "NIT"),
            "tipos_usuario": DocumentTypeOptions.values(DocumentTypeOptions.person, selected: form.values["usuario_tipo"] ?? "CC"),
        ], form: form, status: status)
    }
}
