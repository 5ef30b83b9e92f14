import HTTPCore
import UserStore

/// `POST /soi/ingreso`: fields `empresa_tipo`, `empresa_numero`, `usuario_tipo`,
/// `usuario_numero`, `clave`.
enum SOILogin {
    static func submit(_ request: WebRequest, recovery: SOIRecovery) throws -> HTTPResponse {
        var form = FormState(keeping: ["empresa_tipo", "empresa_numero", "usuario_tipo", "usuario_numero"], from: request)
        let company = document(request, type: "empresa_tipo", number: "empresa_numero", form: &form)
        let person = document(request, type: "usuario_tipo", number: "usuario_numero", form: &form)
        // A temporary password pasted from the email with spaces or line breaks around it.
        let password = form.password("clave", typed: SOIPastedPassword.cleaned(request.rawField("clave")),
                                     missing: "Escriba su clave.")
        guard let company, let person, !form.hasErrors else {
            return try SOIPortal.loginPage(request, form: form, status: .unprocessableContent)
        }
        let user = try request.context.database.read { tx in try tx.users.findSOI(aportante: company, user: person) }
        switch try LoginService.attempt(request, portal: .soi, identifier: "\(company)/\(person)", user: user,
                                        password: password, useTemporaryPassword: { user in
            try recovery.useTemporaryPassword(userID: user.id, clientAddress: request.client, now: request.context.now)
        }) {
        case .success(_, let mustChange):
            if mustChange {
                return request.redirect(to: "/soi/cambio-clave",
                                        notice: FlashNotice(.warning, "Por seguridad, cambie su clave antes de continuar."))
            }
            return request.redirect(to: "/soi/inicio")
        case let refused:
            return try LoginService.refusal(refused, portal: .soi, form: form) { form, status in
                try SOIPortal.loginPage(request, form: form, status: status)
            }
        }
    }

    /// The document in fields `type` + `number`, or nil with a field error. The number is read
    /// as an ``Identifier`` first (NFKC: full-width digits are digits; control characters are
    /// refused), then normalized by ``Document``, whose description is the rate-limit key.
    static func document(_ request: WebRequest, type: String, number: String, form: inout FormState) -> Document? {
        let code = request.field(type)
        let digits = form.identifier(number, in: request, maxLength: 20)
        guard let documentType = DocumentType(code: code) else {
            form.fail(type, "Elija un tipo de documento.")
            return nil
        }
        guard let digits else { return nil }
        do {
            return try Document(type: documentType, number: digits.value)
        } catch {
            form.fail(number, "El número de documento no es válido.")
            return nil
        }
    }
}
