import HTTPCore
import Templates
import UserStore

/// Turns SECOP II forms into recovery steps and their outcomes into pages.
///
/// The request pages answer with the same page, word for word and status for status, for a
/// known and an unknown account: the only thing the answer depends on is whether the input is
/// usable at all. CSRF and rate limits are checked before these are called (web glue).
public struct SECOPRecoveryPages: Sendable {
    /// The recovery steps.
    public let recovery: SECOPRecovery

    /// Creates a value from its fields.
    public init(recovery: SECOPRecovery) { self.recovery = recovery }

    /// Links every page uses, relative to the site.
    private var links: [String: TemplateValue] {
        ["ingreso": .string(SECOPRoutes.login), "olvideContrasena": .string(SECOPRoutes.forgotPassword),
         "olvideUsuario": .string(SECOPRoutes.forgotUsername)]
    }

    /// The bare address emails come from, as the request pages name it ("registro@…").
    private var senderAddress: String {
        let sender = recovery.composer.senders.secop
        guard let open = sender.lastIndex(of: "<"), let close = sender.lastIndex(of: ">"), open < close else { return sender }
        return String(sender[sender.index(after: open)..<close])
    }

    // MARK: Olvidé la contraseña

    /// GET: the empty request form.
    public func forgotPasswordForm() -> PortalPage {
        PortalPage(template: "secop/olvide-contrasena", title: "Recuperar contraseña", context: links.merging(["accion": .string(SECOPRoutes.forgotPassword), "usuario": ""]) { $1 })
    }

    /// POST: emails a link when the user exists; the same answer when not. `spendLimit` is
    /// the route's per-name limit, spent with the name the step looks up.
    public func forgotPassword(form: FormData, clientAddress: String?,
                               spendLimit: (Identifier) throws -> Void = { _ in }) throws -> PortalPage {
        let username = form["usuario"] ?? ""
        var context = links.merging(["accion": .string(SECOPRoutes.forgotPassword)]) { $1 }
        do {
            try recovery.requestPasswordReset(username: username, clientAddress: clientAddress, spendLimit: spendLimit)
        } catch SECOPRecoveryError.input(let problem) {
            context["usuario"] = .string(String(FormState.visible(username).prefix(recovery.configuration.maximumUsernameLength)))
            let message = problem == .controlCharacter ? FormState.controlCharacterMessage : "Escriba su nombre de usuario del SECOP II."
            context["error"] = .string(message)
            context["resumen_errores"] = ErrorSummary([ErrorSummary.Item(field: "usuario", message: message)]).templateValue
            return PortalPage(status: .unprocessableContent, template: "secop/olvide-contrasena", title: "Recuperar contraseña", context: context)
        }
        context["enviado"] = true
        context["remitente"] = .string(senderAddress)
        context["minutos"] = .int(Int(recovery.configuration.linkLifetime / 60))
        return PortalPage(template: "secop/olvide-contrasena", title: "Correo enviado: recuperar contraseña", context: context)
    }

    // MARK: Olvidé el usuario

    /// GET: the empty reminder form.
    public func forgotUsernameForm() -> PortalPage {
        PortalPage(template: "secop/olvide-usuario", title: "Recuperar usuario", context: links.merging(["accion": .string(SECOPRoutes.forgotUsername), "correo": ""]) { $1 })
    }

    /// POST: emails the user names registered to the address; the same answer when none are.
    /// `spendLimit` is the route's per-address limit, spent with the address the step looks up.
    public func forgotUsername(form: FormData, clientAddress: String?,
                               spendLimit: (Identifier) throws -> Void = { _ in }) throws -> PortalPage {
        let email = form["correo"] ?? ""
        var context = links.merging(["accion": .string(SECOPRoutes.forgotUsername)]) { $1 }
        do {
            try recovery.requestUsernameReminder(email: email, clientAddress: clientAddress, spendLimit: spendLimit)
        } catch SECOPRecoveryError.input(let problem) {
            context["correo"] = .string(String(FormState.visible(email).prefix(EmailAddress.maximumLength)))
            let message = problem == .controlCharacter ? FormState.controlCharacterMessage
                                                       : "Escriba un correo electrónico válido, por ejemplo nombre@entidad.gov.co."
            context["error"] = .string(message)
            context["resumen_errores"] = ErrorSummary([ErrorSummary.Item(field: "correo", message: message)]).templateValue
            return PortalPage(status: .unprocessableContent, template: "secop/olvide-usuario", title: "Recuperar usuario", context: context)
        }
        context["enviado"] = true
        context["remitente"] = .string(senderAddress)
        return PortalPage(template: "secop/olvide-usuario", title: "Correo enviado: recuperar usuario", context: context)
    }

    // MARK: Cambiar contraseña

    /// GET on the emailed link: the form when the link works, else a page saying why not.
    /// Never uses the link (mail scanners open links).
    public func changeForm(query: FormData, clientAddress: String?) throws -> PortalPage {
        let token = query["token"] ?? ""
        switch try recovery.inspectLink(token: token, clientAddress: clientAddress) {
        case .valid(let username):
            return changePage(token: token, username: username, problems: [])
        case .unusable(let status):
            return unusableLinkPage(status)
        }
    }

    /// POST: changes the password with the link's token from the hidden field.
    public func change(form: FormData, clientAddress: String?) throws -> PortalPage {
        let token = form["token"] ?? ""
        let outcome = try recovery.changePassword(token: token, newPassword: form["contrasena_nueva"] ?? "",
                                                  confirmation: form["contrasena_confirmacion"] ?? "",
                                                  clientAddress: clientAddress)
        switch outcome {
        case .changed(let username):
            return PortalPage(template: "secop/contrasena-cambiada", title: "Contraseña cambiada", context: links.merging(["usuario": .string(username)]) { $1 })
        case .refused(let username, let problems):
            var page = changePage(token: token, username: username, problems: problems)
            page.status = .unprocessableContent
            return page
        case .unusableLink(let status):
            return unusableLinkPage(status)
        }
    }

    private func changePage(token: String, username: String, problems: [SECOPPasswordProblem]) -> PortalPage {
        let policy = recovery.policy
        let context = links.merging([
            "accion": .string(SECOPRoutes.changePassword), "token": .string(token), "usuario": .string(username),
            "minimo": .int(policy.minimumLength),
            "problemas": .list(problems.map { .string($0.message(policy: policy)) }),
            "resumen_errores": ErrorSummary(problems.map { problem in
                ErrorSummary.Item(field: problem == .mismatchedConfirmation ? "contrasena_confirmacion" : "contrasena_nueva",
                                  message: problem.message(policy: policy))
            }).templateValue,
        ]) { $1 }
        return PortalPage(template: "secop/cambiar-contrasena", title: "Cambiar contraseña", context: context, carriesToken: true)
    }

    /// The page for a link that does not work, worded for why (DESIGN.md: an old link says
    /// so clearly, "use the last email").
    func unusableLinkPage(_ status: ResetTokenStatus) -> PortalPage {
        let words: (String, String, String)
        switch status {
        case .superseded:
            words = ("Este enlace fue reemplazado",
                     "Usted pidió otro correo después de este: cada correo nuevo anula los enlaces anteriores.",
                     "Use el enlace del último correo que recibió del SECOP II.")
        case .used:
            words = ("Este enlace ya fue usado",
                     "Cada enlace sirve una sola vez, y este ya se usó para cambiar la contraseña.",
                     "Si no recuerda la contraseña nueva, solicite un nuevo correo.")
        case .expired:
            words = ("Este enlace venció",
                     "Por seguridad, los enlaces para cambiar la contraseña vencen \(Int(recovery.configuration.linkLifetime / 60)) minutos después de enviados.",
                     "Solicite un nuevo correo y use el enlace en cuanto le llegue.")
        case .unknown, .valid:
            words = ("Este enlace no es válido",
                     "El enlace está incompleto o no corresponde a ninguna solicitud.",
                     "Copie el enlace completo del correo y péguelo en su navegador, o solicite un nuevo correo.")
        }
        let code: HTTPStatus = status == .unknown || status == .valid ? .notFound : HTTPStatus(code: 410)
        return PortalPage(status: code, template: "secop/enlace-invalido", title: words.0,
                         context: links.merging(["encabezado": .string(words.0), "explicacion": .string(words.1),
                                                 "consejo": .string(words.2), "estado": .string(status.rawValue)]) { $1 },
                         carriesToken: true)
    }
}
