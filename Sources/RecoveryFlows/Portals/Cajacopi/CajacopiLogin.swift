import HTTPCore
import UserStore

/// `POST /cajacopi/ingreso`: fields `correo`, `contrasena`.
///
/// The email is read once as an ``Identifier``: its key is both what the store looks up and
/// what the per-email limit counts. A control character in either field is a field error
/// before anything is looked up or counted.
enum CajacopiLogin {
    static func submit(_ request: WebRequest) throws -> HTTPResponse {
        var form = FormState(keeping: ["correo"], from: request)
        let email = form.identifier("correo", in: request, maxLength: EmailAddress.maximumLength)
        let password = form.password("contrasena", in: request, missing: "Escriba su contraseña.")
        if let email, EmailAddress(email.value) == nil { form.fail("correo", "Escriba un correo válido, por ejemplo nombre@dominio.com.") }
        guard let email, !form.hasErrors else { return try CajacopiPortal.loginPage(request, form: form, status: .unprocessableContent) }
        let user = try request.context.database.read { tx in try tx.users.findCajacopi(email: email) }
        switch try LoginService.attempt(request, portal: .cajacopi, identifier: email.key, user: user, password: password) {
        case .success:
            return request.redirect(to: "/cajacopi/inicio")
        case let refused:
            return try LoginService.refusal(refused, portal: .cajacopi, form: form) { form, status in
                try CajacopiPortal.loginPage(request, form: form, status: status)
            }
        }
    }
}
