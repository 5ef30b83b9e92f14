import Foundation
import HTTPCore
import Templates
import UserStore

extension CajacopiRecovery {
    /// A rendered page with the headers every recovery page sends: a strict CSP, no framing,
    /// nosniff, no caching (they carry CSRF fields and tokens) and no referrer (a token must
    /// never leak to another site through `Referer`).
    /// Cookies (the shell's session, which holds the forms' CSRF secret) are added by ``WebRoutes``.
    func page(_ template: String, _ context: [String: TemplateValue], status: HTTPStatus = .ok) throws -> HTTPResponse {
        // The shell's layout and Cajacopi's theme, as the login page has (see PageRenderer).
        let context: [String: TemplateValue] = [
            "titulo": "Restablecer Contraseña", "portal": PortalTheme.cajacopi.templateValue,
            "clase_cuerpo": .string(PortalTheme.cajacopi.cssClass),
        ].merging(context) { _, new in new }
        var response = HTTPResponse.html(try templates.render(template, context), status: status)
        response.headers.replace("Content-Security-Policy",
                                 "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        response.headers.replace("X-Frame-Options", "DENY")
        response.headers.replace("X-Content-Type-Options", "nosniff")
        response.headers.replace("Referrer-Policy", "no-referrer")
        response.headers.replace("Cache-Control", "no-store")
        return response
    }

    /// The request page with a fresh captcha, keeping what the user typed.
    func requestPage(_ request: WebRequest, email: String = "", errors: [String] = [],
                     status: HTTPStatus = .ok) throws -> HTTPResponse {
        let issued = try captcha.create(now: clock())
        let csrf = try request.csrfToken()
        let style = captcha.imageSize
        return try page("cajacopi/restablecer.html", [
            "titulo": "Olvide mi Contraseña", "csrf": .string(csrf), "correo": .string(email),
            "captcha_id": .string(issued.id), "captcha_url": .string("/cajacopi/captcha/\(issued.id).png"),
            "captcha_ancho": .int(style.width), "captcha_alto": .int(style.height),
            "errores": .list(errors.map { .string($0) }),
        ], status: status)
    }

    /// The new-password form for a valid link.
    func newPasswordPage(_ request: WebRequest, token: String, user: User, errors: [String] = [],
                         status: HTTPStatus = .ok) throws -> HTTPResponse {
        let csrf = try request.csrfToken()
        return try page("cajacopi/nueva-contrasena.html", [
            "titulo": "Restablecer Contraseña", "csrf": .string(csrf), "token": .string(token),
            "correo": .string(user.email),
            "reglas": .list(configuration.policy.requirements.map { .string($0) }),
            "errores": .list(errors.map { .string($0) }),
        ], status: status)
    }

    /// The page for a link that cannot be used.
    func invalidLinkPage(_ status: ResetTokenStatus) throws -> HTTPResponse {
        let code: HTTPStatus = status == .unknown || status == .valid ? .notFound : HTTPStatus(code: 410)
        return try page("cajacopi/enlace-invalido.html", ["titulo": "Enlace no válido",
                                                          "motivo": .string(Self.invalidLinkMessage(status))], status: code)
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
