import Foundation
import HTTPCore
import UserStore

/// Cajacopi's route table (DESIGN.md, Routes): login, home and logout, the request with its
/// captcha, the captcha image and "Refrescar", the emailed link's new-password page, and in
/// development mode only `GET /_dev/captcha/{id}` (the documented way for automated tests
/// through the captcha; direct loopback clients only).
///
/// Each step spends its route's limit (``CajacopiPortal/RecoveryLimit``): the request per address
/// and per submitted email (once its captcha has passed), captchas drawn and link uses per
/// address. The GETs (the request page drawing its captcha, the link opened) count in memory
/// only (``PageRateLimiter``): a GET writes nothing. A captcha is drawn for the browser's form
/// cookie (``FormCookie``) and shown and answered only with it.
extension CajacopiPortal {
    /// Rate-limit route names (``RateLimitPolicy`` keys; their defaults are
    /// ``RateLimitPolicy/cajacopiRecoveryDefaults``).
    public enum RecoveryLimit {
        /// Login, per address and email.
        public static let login = "cajacopi.login"
        /// "Enviar Solicitud", per client address and per submitted email (existing or not).
        public static let forgotPassword = "cajacopi.forgot-password"
        /// Drawing a captcha, per client address: "Refrescar" (a POST) in the store, request
        /// page views (a GET) in this process's memory.
        public static let captcha = "cajacopi.captcha"
        /// Opening a link (a GET), per client address only, in memory: mail scanners open links,
        /// and their prefetches must not spend the link's own budget.
        public static let openLink = "cajacopi.open-link"
        /// Using a link (the POST of the new-password page), per client address and token hash.
        public static let changePassword = "cajacopi.change-password"
    }

    /// Every Cajacopi route.
    public static func routes(in context: AppContext) -> RouteTable {
        let flow = recovery(context: context)
        let pages = CajacopiRecoveryPages(recovery: flow)
        var routes: [WebRoute] = [
            .page("/cajacopi/ingreso") { request in try loginPage(request, form: FormState()) },
            .form("/cajacopi/ingreso", limit: RecoveryLimit.login) { request in try CajacopiLogin.submit(request) },
        ] + PortalSession.routes(theme, template: "cajacopi/inicio.html", title: "Inicio: Hanna") + [
            .page("/cajacopi/restablecer", limit: RecoveryLimit.captcha) { request in
                try request.rateLimit(identifier: nil)
                // After «Refrescar» the typed email comes back in the query (the redirect's).
                let email = (request.http.queryItems["correo"] ?? "").trimmingCharacters(in: .whitespaces)
                let shown = ControlCharacters.contains(email) || email.count > 254 ? "" : email
                return try request.render(pages.requestForm(captcha: try flow.newCaptcha(browser: try request.formCookieValue()),
                                                            email: shown))
            },
            .form("/cajacopi/restablecer", limit: RecoveryLimit.forgotPassword) { request in
                let typed = request.rawField("correo")
                let browser = try request.formCookieValue()
                guard !ControlCharacters.contains(typed) else {
                    // Refused before any look-up or email counter; the address is still counted,
                    // because the page draws a new captcha.
                    try request.rateLimit(identifier: nil)
                    return try request.render(pages.requestForm(captcha: try flow.newCaptcha(browser: browser),
                                                                email: FormState.visible(typed),
                                                                emailError: FormState.controlCharacterMessage,
                                                                status: .unprocessableContent))
                }
                // The step looks up what is counted here: both are the Identifier's normal form.
                // The limit is spent only once the captcha passes (see `requestReset`).
                let email = (try? Identifier(typed))?.value ?? ""
                let outcome = try flow.requestReset(email: email, captchaID: request.form["captcha_id"] ?? "",
                                                    captchaAnswer: request.form["captcha"] ?? "", browser: browser,
                                                    clientAddress: request.client) {
                    try request.rateLimit(identifier: email)
                }
                let page = try pages.requestAnswer(outcome, email: email) { try flow.newCaptcha(browser: browser) }
                let response = try request.render(page)
                // Known or unknown account: the same page, after the same least time.
                return outcome == .accepted ? flow.configuration.timing.padded(response) : response
            },
            .form("/cajacopi/captcha", limit: RecoveryLimit.captcha) { request in
                // Post/Redirect/Get: the old captcha is burnt here, and the address bar ends on
                // the request page, which reloads cleanly (a reload draws another captcha).
                try request.rateLimit(identifier: nil)
                try flow.burnCaptcha(request.form["captcha_id"], browser: try request.formCookieValue(),
                                     clientAddress: request.client)
                return request.redirect(to: CajacopiRecoveryPages.requestPath(email: request.field("correo")))
            },
            .resource("/cajacopi/captcha/{id}.png") { http in try flow.captchaImage(http) },
            .resource("/cajacopi/captcha/{id}.wav") { http in try flow.captchaAudio(http) },
            .page("/cajacopi/nueva-contrasena", limit: RecoveryLimit.openLink) { request in
                try request.rateLimit(identifier: nil)
                let token = request.http.queryItems["token"] ?? ""
                let (status, user) = try flow.openLink(token: token, clientAddress: request.client)
                guard status == .valid, let user else { return try request.render(pages.invalidLink(status)) }
                return try request.render(pages.newPasswordForm(token: token, user: user))
            },
            .form("/cajacopi/nueva-contrasena", limit: RecoveryLimit.changePassword) { request in
                let token = request.form["token"] ?? ""
                try request.rateLimit(identifier: SECOPPortal.tokenKey(token))
                switch try flow.changePassword(token: token, newPassword: request.form["contrasena_nueva"] ?? "",
                                               confirmation: request.form["contrasena_confirmacion"] ?? "",
                                               clientAddress: request.client) {
                case .changed:
                    return try request.render(pages.changed())
                case .invalidLink(let status):
                    return try request.render(pages.invalidLink(status))
                case .rejected(let messages):
                    guard case (.valid, let user?) = try flow.inspectLink(token: token) else {
                        return try request.render(pages.invalidLink(.unknown))
                    }
                    return try request.render(pages.newPasswordForm(token: token, user: user, errors: messages,
                                                                    status: .unprocessableContent))
                }
            },
        ]
        if context.configuration.mode == .development, flow.captcha.developmentAnswers != nil {
            routes.append(.resource("/_dev/captcha/{id}") { http in flow.developmentCaptchaAnswer(http) })
        }
        return RouteTable("cajacopi", routes)
    }

    /// The flow built from the shell's context: its public URL, timing floor, database,
    /// templates, hashing, clock, outbox wake-up and the login route's throttle. In development mode the captcha records
    /// its answers for `/_dev/captcha/{id}`.
    public static func recovery(context: AppContext) -> CajacopiRecovery {
        let configuration = CajacopiRecoveryConfiguration(
            publicURL: context.configuration.publicURL.absoluteString,
            sender: context.configuration.senders.cajacopi,
            timing: context.uniformTiming,
            policy: PasswordPolicy(commonPasswords: context.commonPasswords),
            captcha: CaptchaConfiguration(recordsAnswersForDevelopment: context.configuration.mode == .development))
        return CajacopiRecovery(
            database: context.database, templates: context.templates, configuration: configuration, captchaKey: context.captchaKey,
            hasher: context.hasher, hashingPool: context.hashingPool,
            clock: context.clock, wakeOutbox: context.wakeOutbox,
            loginThrottleKeys: { user in
                // The login counts attempts per typed email: the account's own email is that key.
                [context.rateLimiter.identifierKey(route: RecoveryLimit.login, identifier: user.email)]
            },
            spokenDigits: context.spokenDigits)
    }
}

extension CajacopiRecovery {
    /// `GET /cajacopi/captcha/{id}.png`: the image of a live captcha, drawn again from its id
    /// and the asking browser's form cookie (another browser gets a 404), never cached.
    func captchaImage(_ request: HTTPRequest) throws -> HTTPResponse {
        try captchaResource(request, type: "image/png") { id, browser, now in try captcha.image(id: id, browser: browser, now: now) }
    }

    /// `GET /cajacopi/captcha/{id}.wav`: the audio alternative of a live captcha (the same
    /// conditions as the image), composed again from its id, never cached.
    func captchaAudio(_ request: HTTPRequest) throws -> HTTPResponse {
        try captchaResource(request, type: "audio/wav") { id, browser, now in try captcha.audio(id: id, browser: browser, now: now)?.wav }
    }

    /// The bytes `make` gives for the request's id and form cookie as `type`, or a 404; never cached.
    private func captchaResource(_ request: HTTPRequest, type: String,
                                 make: (String, String?, Date) throws -> [UInt8]?) throws -> HTTPResponse {
        let browser = request.cookies[FormCookie.name].flatMap { FormCookie.cookie.isWellFormed($0) ? $0 : nil }
        var response: HTTPResponse
        if let id = request.parameters["id"], let bytes = try make(id, browser, clock.now()) {
            response = HTTPResponse(status: .ok, body: bytes)
            response.headers.replace("Content-Type", type)
        } else {
            response = HTTPResponse.text("Captcha no encontrado o vencido.", status: .notFound)
        }
        response.headers.replace("Cache-Control", "no-store")
        return response
    }

    /// `GET /_dev/captcha/{id}` (development only): the live captcha's answer as text
    /// (`?tipo=audio`: the audio's digits), to direct loopback clients only (not through a proxy).
    func developmentCaptchaAnswer(_ request: HTTPRequest) -> HTTPResponse {
        guard ClientAddress.isDirectFromThisMachine(request) else { return .text("Solo desde esta máquina.", status: .forbidden) }
        let answers = captcha.developmentAnswers
        let audio = request.queryItems["tipo"] == "audio"
        guard let id = request.parameters["id"],
              let answer = audio ? answers?.audioAnswer(id: id, now: clock.now()) : answers?.answer(id: id, now: clock.now()) else {
            return .text("Captcha no encontrado o vencido.", status: .notFound)
        }
        var response = HTTPResponse.text(answer)
        response.headers.replace("Cache-Control", "no-store")
        return response
    }
}
