import Foundation
import HTTPCore
import UserStore

extension CajacopiRecovery {
    /// Adds the recovery routes (DESIGN.md, Routes) to `routes`, the shell's ``WebRoutes``: the
    /// pages and forms through ``WebRoutes/get(_:_:)`` and ``WebRoutes/post(_:_:)`` (so every
    /// POST's `csrf` field is checked against the session before the flow runs: 403 page,
    /// nothing changed), the captcha image on the plain router (an image, not a page). With
    /// `development` true, and only if the captcha configuration records answers, also
    /// `GET /_dev/captcha/{id}` (the documented way for automated tests through the captcha;
    /// loopback clients only).
    ///
    /// Each step counts against the shell's ``RateLimiter`` under ``CajacopiPortal/RecoveryLimit``:
    /// the request per address and per submitted email, captchas drawn and link redemptions
    /// per address. A spent limit is the shell's 429 page with `Retry-After`.
    public func register(in routes: inout WebRoutes, development: Bool) {
        let flow = self
        routes.get("/cajacopi/restablecer") { request in try flow.showRequest(request) }
        routes.post("/cajacopi/restablecer") { request in try flow.submitRequest(request) }
        routes.post("/cajacopi/captcha") { request in try flow.refreshCaptcha(request) }
        routes.router.get("/cajacopi/captcha/{id}.png") { request in try flow.captchaImage(request) }
        routes.get("/cajacopi/nueva-contrasena") { request in try flow.showNewPassword(request) }
        routes.post("/cajacopi/nueva-contrasena") { request in try flow.submitNewPassword(request) }
        if development, captcha.developmentAnswers != nil {
            routes.router.get("/_dev/captcha/{id}") { request in flow.developmentCaptchaAnswer(request) }
        }
    }

    /// `GET /cajacopi/restablecer`: the form with a new captcha.
    func showRequest(_ request: WebRequest) throws -> HTTPResponse {
        try request.rateLimit(CajacopiPortal.RecoveryLimit.captcha, identifier: nil)
        return try requestPage(request)
    }

    /// `POST /cajacopi/restablecer` (CSRF already checked by the shell).
    func submitRequest(_ request: WebRequest) throws -> HTTPResponse {
        let email = (request.form["correo"] ?? "").trimmingCharacters(in: .whitespaces)
        try request.rateLimit(CajacopiPortal.RecoveryLimit.forgotPassword, identifier: email)
        let outcome = try requestReset(email: email, captchaID: request.form["captcha_id"] ?? "",
                                       captchaAnswer: request.form["captcha"] ?? "", clientAddress: request.client)
        switch outcome {
        case .captchaRejected(let check):
            return try requestPage(request, email: email, errors: [Self.captchaMessage(check)], status: .unprocessableContent)
        case .invalidEmail:
            return try requestPage(request, email: email, errors: ["Escriba un correo electrónico válido."],
                                   status: .unprocessableContent)
        case .accepted:
            // Known or unknown account: the same page, after the same least time.
            return configuration.timing.padded(try page("cajacopi/solicitud-enviada.html", ["titulo": "Solicitud enviada"]))
        }
    }

    /// `POST /cajacopi/captcha`: "Refrescar". Burns the shown captcha (so refreshing cannot
    /// farm images of one answer) and shows the request page again with a new one and the email kept.
    func refreshCaptcha(_ request: WebRequest) throws -> HTTPResponse {
        try request.rateLimit(CajacopiPortal.RecoveryLimit.captcha, identifier: nil)
        if let old = request.form["captcha_id"] { _ = try captcha.check(id: old, answer: "", now: clock()) }
        try audit("captcha_refreshed", userID: nil, client: request.client, detail: "")
        return try requestPage(request, email: (request.form["correo"] ?? "").trimmingCharacters(in: .whitespaces))
    }

    /// `GET /cajacopi/captcha/{id}.png`: the image of a live captcha, never cached.
    func captchaImage(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let id = request.parameters["id"], let png = try captcha.image(id: id, now: clock()) else {
            var missing = HTTPResponse.text("Captcha no encontrado o vencido.", status: .notFound)
            missing.headers.replace("Cache-Control", "no-store")
            return missing
        }
        var response = HTTPResponse(status: .ok, body: png)
        response.headers.replace("Content-Type", "image/png")
        response.headers.replace("Cache-Control", "no-store")
        response.headers.replace("X-Content-Type-Options", "nosniff")
        return response
    }

    /// `GET /cajacopi/nueva-contrasena?token=…`: shows the form; never uses the link.
    func showNewPassword(_ request: WebRequest) throws -> HTTPResponse {
        try request.rateLimit(CajacopiPortal.RecoveryLimit.changePassword, identifier: nil)
        let token = request.http.queryItems["token"] ?? ""
        let (status, user) = try inspectLink(token: token)
        guard status == .valid, let user else {
            try audit("reset_link_rejected", userID: nil, client: request.client, detail: "estado=\(status.rawValue)")
            return try invalidLinkPage(status)
        }
        try audit("reset_link_opened", userID: user.id, client: request.client, detail: "")
        return try newPasswordPage(request, token: token, user: user)
    }

    /// `POST /cajacopi/nueva-contrasena` (CSRF already checked by the shell).
    func submitNewPassword(_ request: WebRequest) throws -> HTTPResponse {
        try request.rateLimit(CajacopiPortal.RecoveryLimit.changePassword, identifier: nil)
        let token = request.form["token"] ?? ""
        let outcome = try changePassword(token: token, newPassword: request.form["contrasena_nueva"] ?? "",
                                         confirmation: request.form["contrasena_confirmacion"] ?? "",
                                         clientAddress: request.client)
        switch outcome {
        case .changed:
            return try page("cajacopi/contrasena-actualizada.html", ["titulo": "Contraseña actualizada"])
        case .invalidLink(let status):
            return try invalidLinkPage(status)
        case .rejected(let messages):
            guard case (.valid, let user?) = try inspectLink(token: token) else { return try invalidLinkPage(.unknown) }
            return try newPasswordPage(request, token: token, user: user, errors: messages, status: .unprocessableContent)
        }
    }

    /// `GET /_dev/captcha/{id}` (development only): the live captcha's answer as text, to
    /// direct loopback clients only (not through a proxy).
    func developmentCaptchaAnswer(_ request: HTTPRequest) -> HTTPResponse {
        guard ClientAddress.isDirectFromThisMachine(request) else { return .text("Solo desde esta máquina.", status: .forbidden) }
        guard let id = request.parameters["id"], let answer = captcha.developmentAnswers?.answer(id: id, now: clock()) else {
            return .text("Captcha no encontrado o vencido.", status: .notFound)
        }
        var response = HTTPResponse.text(answer)
        response.headers.replace("Cache-Control", "no-store")
        return response
    }
}
