import HTTPCore
import UserStore

/// `POST /cajacopi/ingreso`: fields `correo`, `contrasena`.
enum CajacopiLogin {
    static func submit(_ request: WebRequest) throws -> HTTPResponse {
        var form = FormState(keeping: ["correo"], from: request)
        let email = form.require("correo", in: request, maxLength: EmailAddress.maximumLength)
        let password = request.rawField("contrasena")
        if password.isEmpty { form.fail("contrasena", "Escriba su contraseña.") }
        if !email.isEmpty, EmailAddress(email) == nil { form.fail("correo", "Escriba un correo válido, por ejemplo nombre@dominio.com.") }
        guard !form.hasErrors else { return try CajacopiPortal.loginPage(request, form: form, status: .unprocessableContent) }
        let user = try request.context.database.read { tx in try tx.users.findCajacopi(email: email) }
        switch try LoginService.attempt(request, portal: .cajacopi, identifier: email, user: user, password: password) {
        case .success:
            return request.redirect(to: "/cajacopi/inicio")
        case .failure:
            form.formError = LoginService.genericFailure
            return try CajacopiPortal.loginPage(request, form: form, status: .unprocessableContent)
        }
    }
}
