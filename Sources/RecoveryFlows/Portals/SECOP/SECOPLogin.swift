import HTTPCore
import UserStore

/// `POST /secop/ingreso`: fields `usuario`, `contrasena`.
///
/// The user name is read once as an ``Identifier``: its key is both what the store looks up
/// and what the per-name limit counts. A control character in either field is a field error
/// before anything is looked up or counted.
enum SECOPLogin {
    static func submit(_ request: WebRequest) throws -> HTTPResponse {
        var form = FormState(keeping: ["usuario"], from: request)
        let username = form.identifier("usuario", in: request, maxLength: 100)
        let password = form.password("contrasena", in: request, missing: "Escriba su contraseña.")
        guard let username, !form.hasErrors else { return try SECOPPortal.loginPage(request, form: form, status: .unprocessableContent) }
        let user = try request.context.database.read { tx in try tx.users.findSecop(username: username) }
        switch try LoginService.attempt(request, portal: .secop, identifier: username.key, user: user, password: password) {
        case .success:
            return request.redirect(to: "/secop/inicio")
        case let refused:
            return try LoginService.refusal(refused, portal: .secop, form: form) { form, status in
                try SECOPPortal.loginPage(request, form: form, status: status)
            }
        }
    }
}
