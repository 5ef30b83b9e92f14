import HTTPCore
import UserStore

/// `POST /secop/ingreso`: fields `usuario`, `contrasena`.
enum SECOPLogin {
    static func submit(_ request: WebRequest) throws -> HTTPResponse {
        var form = FormState(keeping: ["usuario"], from: request)
        let username = form.require("usuario", in: request, maxLength: 100)
        let password = request.rawField("contrasena")
        if password.isEmpty { form.fail("contrasena", "Escriba su contraseña.") }
        guard !form.hasErrors else { return try SECOPPortal.loginPage(request, form: form, status: .unprocessableContent) }
        let user = try request.context.database.read { tx in try tx.users.findSecop(username: username) }
        switch try LoginService.attempt(request, portal: .secop, identifier: username, user: user, password: password) {
        case .success:
            return request.redirect(to: "/secop/inicio")
        case .failure:
            form.formError = LoginService.genericFailure
            return try SECOPPortal.loginPage(request, form: form, status: .unprocessableContent)
        }
    }
}
