import Foundation
import HTTPCore
import Templates
import UserStore

/// Turns Cajacopi's recovery outcomes into pages (`Resources/templates/cajacopi/…`), without a
/// server. Every page of the journey carries a captcha or a token, so every one is marked
/// `carriesToken` (no referrer ever leaves it).
public struct CajacopiRecoveryPages: Sendable {
    /// The password rules the new-password page lists.
    public let policy: PasswordPolicy
    /// The captcha image's size, for the `<img>` element.
    public let captchaSize: (width: Int, height: Int)
    /// Whether the captcha has its audio alternative («Escuchar»).
    public let captchaHasAudio: Bool
    /// How many digits the audio speaks (the hint says so).
    public let audioDigits: Int

    /// Pages for `recovery`'s rules and captcha.
    public init(recovery: CajacopiRecovery) {
        policy = recovery.configuration.policy
        let style = recovery.captcha.imageSize
        captchaSize = (style.width, style.height)
        captchaHasAudio = recovery.captcha.hasAudio
        audioDigits = recovery.captcha.configuration.audioDigits
    }

    /// Where «Refrescar» leads (Post/Redirect/Get): the request page, with the typed email
    /// when there is one, so it is not lost and a reload of that address is harmless.
    public static func requestPath(email: String) -> String {
        guard !email.isEmpty else { return "/cajacopi/restablecer" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/cajacopi/restablecer?correo=" + (email.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    /// The request page with `captcha`, keeping what the user typed; `emailError` and
    /// `captchaError` are shown beside their fields and in the error summary.
    public func requestForm(captcha: IssuedCaptcha, email: String = "", emailError: String? = nil,
                            captchaError: String? = nil, status: HTTPStatus = .ok) -> PortalPage {
        let summary = ErrorSummary([emailError.map { ErrorSummary.Item(field: "correo", message: $0) },
                                    captchaError.map { ErrorSummary.Item(field: "captcha", message: $0) }].compactMap { $0 })
        var context: [String: TemplateValue] = [
            "correo": .string(email), "captcha_id": .string(captcha.id),
            "captcha_url": .string("/cajacopi/captcha/\(captcha.id).png"),
            "captcha_ancho": .int(captchaSize.width), "captcha_alto": .int(captchaSize.height),
            "captcha_audio": .bool(captchaHasAudio), "captcha_audio_url": .string("/cajacopi/captcha/\(captcha.id).wav"),
            "captcha_digitos": .int(audioDigits),
            "resumen_errores": summary.templateValue,
        ]
        if let emailError { context["error_correo"] = .string(emailError) }
        if let captchaError { context["error_captcha"] = .string(captchaError) }
        return PortalPage(status: status, template: "cajacopi/restablecer", title: "Olvide mi Contraseña", context: context,
                          carriesToken: true)
    }

    /// What the request step decided, as a page (`captcha` is the next one to show).
    public func requestAnswer(_ outcome: CajacopiRecovery.RequestOutcome, email: String,
                              nextCaptcha captcha: () throws -> IssuedCaptcha) rethrows -> PortalPage {
        switch outcome {
        case .captchaRejected(let check):
            return requestForm(captcha: try captcha(), email: email, captchaError: Self.captchaMessage(check),
                               status: .unprocessableContent)
        case .invalidEmail:
            return requestForm(captcha: try captcha(), email: email, emailError: "Escriba un correo electrónico válido.",
                               status: .unprocessableContent)
        case .accepted:
            // Known or unknown account: the same page.
            return PortalPage(template: "cajacopi/solicitud-enviada", title: "Solicitud enviada", carriesToken: true)
        }
    }

    /// The new-password form for a valid link.
    public func newPasswordForm(token: String, user: User, errors: [String] = [], status: HTTPStatus = .ok) -> PortalPage {
        PortalPage(status: status, template: "cajacopi/nueva-contrasena", title: "Restablecer Contraseña", context: [
            "token": .string(token), "correo": .string(user.email),
            "reglas": .list(policy.requirements.map { .string($0) }),
            "errores": .list(errors.map { .string($0) }),
            "resumen_errores": ErrorSummary(errors.map { ErrorSummary.Item(field: "contrasena_nueva", message: $0) }).templateValue,
        ], carriesToken: true)
    }

    /// The page for a link that cannot be used.
    public func invalidLink(_ status: ResetTokenStatus) -> PortalPage {
        let code: HTTPStatus = status == .unknown || status == .valid ? .notFound : HTTPStatus(code: 410)
        return PortalPage(status: code, template: "cajacopi/enlace-invalido", title: "Enlace no válido",
                          context: ["motivo": .string(CajacopiRecovery.invalidLinkMessage(status))], carriesToken: true)
    }

    /// After the change: sign in with the new password.
    public func changed() -> PortalPage {
        PortalPage(template: "cajacopi/contrasena-actualizada", title: "Contraseña actualizada", carriesToken: true)
    }

    /// The words for a rejected captcha.
    static func captchaMessage(_ check: CaptchaCheck) -> String {
        switch check {
        case .expired: return "El captcha venció. Escriba las letras de la nueva imagen."
        case .wrongAnswer: return "Las letras no coinciden con la imagen. Escriba las letras de la nueva imagen (tenga en cuenta las mayúsculas y minúsculas)."
        case .unknown, .passed: return "El captcha ya fue usado o no es válido. Escriba las letras de la nueva imagen."
        }
    }
}
