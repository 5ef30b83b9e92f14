import ClaveCrypto
import Dispatch
import Foundation
import HTTPCore
import UserStore

extension CajacopiRecovery {
    /// Adds the recovery routes (DESIGN.md, Routes) to `router`. With `development` true, and
    /// only if the captcha configuration records answers, also `GET /_dev/captcha/{id}` (the
    /// documented way for automated tests through the captcha; loopback clients only).
    public func register(in router: inout Router, development: Bool) {
        let flow = self
        router.get("/cajacopi/restablecer") { request in try flow.showRequest(request) }
        router.post("/cajacopi/restablecer") { request in try flow.submitRequest(request) }
        router.post("/cajacopi/captcha") { request in try flow.refreshCaptcha(request) }
        router.get("/cajacopi/captcha/{id}.png") { request in try flow.captchaImage(request) }
        router.get("/cajacopi/nueva-contrasena") { request in try flow.showNewPassword(request) }
        router.post("/cajacopi/nueva-contrasena") { request in try flow.submitNewPassword(request) }
        if development, captcha.developmentAnswers != nil {
            router.get("/_dev/captcha/{id}") { request in flow.developmentCaptchaAnswer(request) }
        }
    }

    /// `GET /cajacopi/restablecer`: the form with a new captcha.
    func showRequest(_ request: HTTPRequest) throws -> HTTPResponse {
        if let limited = try rateLimited(request, keys: [
            ("cajacopi:captcha:ip:\(clientAddress(request))", configuration.captchasPerAddress),
        ]) { return limited }
        return try requestPage(request)
    }

    /// `POST /cajacopi/restablecer`.
    func submitRequest(_ request: HTTPRequest) throws -> HTTPResponse {
        let started = DispatchTime.now()
        guard let form = try? request.form() else {
            return try errorPage(title: "Solicitud no válida", message: "No pudimos leer el formulario. Intente de nuevo.",
                                 status: .badRequest)
        }
        guard formGuard.verify(request, field: form["csrf"]) else { return try csrfRejected(request) }
        let email = (form["correo"] ?? "").trimmingCharacters(in: .whitespaces)
        if let limited = try rateLimited(request, keys: [
            ("cajacopi:restablecer:ip:\(clientAddress(request))", configuration.requestsPerAddress),
            ("cajacopi:restablecer:correo:\(SHA256.hex(email.lowercased()))", configuration.requestsPerEmail),
        ]) { return limited }
        let outcome = try requestReset(email: email, captchaID: form["captcha_id"] ?? "",
                                       captchaAnswer: form["captcha"] ?? "", clientAddress: clientAddress(request))
        switch outcome {
        case .captchaRejected(let check):
            return try requestPage(request, email: email, errors: [Self.captchaMessage(check)], status: .unprocessableContent)
        case .invalidEmail:
            return try requestPage(request, email: email, errors: ["Escriba un correo electrónico válido."],
                                   status: .unprocessableContent)
        case .accepted:
            // Known or unknown account: the same page, after the same least time.
            configuration.timing.pad(since: started)
            return try page("cajacopi/solicitud-enviada.html", ["titulo": "Solicitud enviada"])
        }
    }

    /// `POST /cajacopi/captcha`: "Refrescar". Burns the shown captcha (so refreshing cannot
    /// farm images of one answer) and shows the request page again with a new one and the email kept.
    func refreshCaptcha(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let form = try? request.form() else {
            return try errorPage(title: "Solicitud no válida", message: "No pudimos leer el formulario. Intente de nuevo.",
                                 status: .badRequest)
        }
        guard formGuard.verify(request, field: form["csrf"]) else { return try csrfRejected(request) }
        if let limited = try rateLimited(request, keys: [
            ("cajacopi:captcha:ip:\(clientAddress(request))", configuration.captchasPerAddress),
        ]) { return limited }
        if let old = form["captcha_id"] { _ = try captcha.check(id: old, answer: "", now: clock()) }
        try audit("captcha_refreshed", userID: nil, client: clientAddress(request), detail: "")
        return try requestPage(request, email: (form["correo"] ?? "").trimmingCharacters(in: .whitespaces))
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
    func showNewPassword(_ request: HTTPRequest) throws -> HTTPResponse {
        if let limited = try rateLimited(request, keys: [
            ("cajacopi:enlace:ip:\(clientAddress(request))", configuration.redemptionsPerAddress),
        ]) { return limited }
        let token = request.queryItems["token"] ?? ""
        let (status, user) = try inspectLink(token: token)
        guard status == .valid, let user else {
            try audit("reset_link_rejected", userID: nil, client: clientAddress(request), detail: "estado=\(status.rawValue)")
            return try invalidLinkPage(status)
        }
        try audit("reset_link_opened", userID: user.id, client: clientAddress(request), detail: "")
        return try newPasswordPage(request, token: token, user: user)
    }

    /// `POST /cajacopi/nueva-contrasena`.
    func submitNewPassword(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let form = try? request.form() else {
            return try errorPage(title: "Solicitud no válida", message: "No pudimos leer el formulario. Intente de nuevo.",
                                 status: .badRequest)
        }
        guard formGuard.verify(request, field: form["csrf"]) else { return try csrfRejected(request) }
        if let limited = try rateLimited(request, keys: [
            ("cajacopi:enlace:ip:\(clientAddress(request))", configuration.redemptionsPerAddress),
        ]) { return limited }
        let token = form["token"] ?? ""
        let outcome = try changePassword(token: token, newPassword: form["contrasena_nueva"] ?? "",
                                         confirmation: form["contrasena_confirmacion"] ?? "",
                                         clientAddress: clientAddress(request))
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
    /// loopback clients only.
    func developmentCaptchaAnswer(_ request: HTTPRequest) -> HTTPResponse {
        guard Self.isLoopback(request.remoteAddress) else { return .text("Solo desde esta máquina.", status: .forbidden) }
        guard let id = request.parameters["id"], let answer = captcha.developmentAnswers?.answer(id: id, now: clock()) else {
            return .text("Captcha no encontrado o vencido.", status: .notFound)
        }
        var response = HTTPResponse.text(answer)
        response.headers.replace("Cache-Control", "no-store")
        return response
    }

    private func csrfRejected(_ request: HTTPRequest) throws -> HTTPResponse {
        try audit("csrf_rejected", userID: nil, client: clientAddress(request), detail: "ruta=\(request.path)")
        return try errorPage(title: "Formulario vencido",
                             message: "El formulario venció o no es válido. Vuelva a la página e intente de nuevo.",
                             status: .forbidden)
    }

    /// Counts one hit on every key (so limits leak nothing about which key is known) and
    /// answers 429 with `Retry-After` when any is over its limit.
    private func rateLimited(_ request: HTTPRequest, keys: [(String, Int)]) throws -> HTTPResponse? {
        let limits = RateLimitRepository(database: database)
        let now = clock()
        var retryAfter: TimeInterval = 0
        for (key, limit) in keys {
            let decision = try limits.hit(key: key, window: configuration.rateWindow, limit: limit, now: now)
            if !decision.allowed { retryAfter = max(retryAfter, decision.retryAfter) }
        }
        guard retryAfter > 0 else { return nil }
        try audit("rate_limited", userID: nil, client: clientAddress(request), detail: "ruta=\(request.path)")
        return try errorPage(title: "Demasiadas solicitudes",
                             message: "Ha hecho demasiadas solicitudes seguidas. Espere unos minutos e intente de nuevo.",
                             status: .tooManyRequests, retryAfter: retryAfter)
    }

    /// Whether the peer is this machine (the server reports plain IPs, IPv4-mapped ones unwrapped).
    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.")
    }
}
