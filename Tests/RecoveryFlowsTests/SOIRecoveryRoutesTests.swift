import ClaveTime
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Layer 3: SOI's recovery over HTTP against the real app (the shell's AppHarness: real SQLite,
/// outbox worker, development mailbox read through its JSON API), in process; the journey also
/// on a loopback port.
@Suite("SOI recovery over HTTP")
struct SOIRecoveryRoutesTests {
    typealias Demo = AppHarness.Demo

    /// The five "¿Olvidó su clave?" fields for the demo user, with `overrides`.
    static func forgotFields(_ overrides: [String: String] = [:]) -> [String: String] {
        ["aportante_tipo": "NIT", "aportante_numero": "900123456-8", "usuario_tipo": "CC",
         "usuario_numero": "1020304050", "correo": Demo.soiEmail].merging(overrides) { $1 }
    }

    /// Logs the demo SOI user in with `clave` through the login form.
    static func logIn(_ browser: WebClient, clave: String) throws -> WebResponse {
        try browser.fillAndSubmit("/soi/ingreso", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8",
                                                   "usuario_tipo": "CC", "usuario_numero": "1020304050", "clave": clave])
    }

    /// Asks for a temporary password and returns it, read from the development mailbox.
    static func requestTemporaryPassword(_ harness: AppHarness, after id: Int64 = 0) throws -> (password: String, mail: AppHarness.Mail) {
        let answer = try harness.browser().fillAndSubmit("/soi/olvido-clave", forgotFields())
        #expect(answer.status == 200)
        let mail = try harness.waitForMail(to: Demo.soiEmail, newerThan: id)
        return (try SOIFixture.temporaryPassword(in: mail.text), mail)
    }

    /// Whether a login answer is the shell's refusal (no session, the form again): the generic
    /// one, or the throttle's wait.
    static func refused(_ response: WebResponse) -> Bool {
        response.status >= 400 && response.status < 500
            && (response.text.contains("Los datos de ingreso no son correctos") || response.text.contains("Demasiados intentos fallidos"))
    }

    static func outboxCount(_ harness: AppHarness) throws -> Int {
        try harness.context.database.read { tx in try tx.outbox.list(states: nil, limit: 1_000) }.count
    }

    /// In process, and once through a live server end to end.
    @Test("Every step: link, form, mail, temporary login, forced change, home, logout, new clave",
          arguments: TestTransport.allCases)
    func journey(transport: TestTransport) throws {
        let harness = try AppHarness(transport: transport)
        let browser = harness.browser()
        // Another device already logged in with the old clave: dropped by the change.
        let otherDevice = harness.browser()
        #expect(try Self.logIn(otherDevice, clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)

        let login = try browser.get("/soi/ingreso")
        #expect(login.text.contains("href=\"/soi/olvido-clave\""))
        let form = try browser.get("/soi/olvido-clave")
        #expect(form.status == 200)
        for name in SOIRecoveryRequest.fieldNames { #expect(form.text.contains("name=\"\(name)\"")) }
        #expect(form.text.contains("La identificación del Aportante, la del usuario y su correo electrónico deben corresponder"))

        let answer = try browser.submit(form, to: "/soi/olvido-clave", Self.forgotFields())
        #expect(answer.status == 200)
        #expect(answer.text.contains("Si los datos corresponden con los registrados en el sistema, enviaremos una clave temporal"))
        #expect(answer.text.contains("spam"))

        let mail = try harness.waitForMail(to: Demo.soiEmail)
        #expect(mail.subject == "SOI - Recuperación de clave")
        var temporary = try SOIFixture.temporaryPassword(in: mail.text)
        #expect(mail.html.contains(temporary))
        // The configured public URL, never the Host header the client sent (127.0.0.1:port).
        #expect(mail.text.contains("http://clave.test/soi/ingreso"))
        #expect(!mail.text.contains("127.0.0.1"))

        // Until the temporary clave is used, the old one still works (a stranger cannot lock the owner out).
        #expect(try Self.logIn(harness.browser(), clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
        // That login with the old clave dropped the pending temporary one (issue "Accounts a stranger
        // can neither take nor block"): the journey goes on with a new request's clave.
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: temporary)))
        let renewed = try Self.requestTemporaryPassword(harness, after: mail.id)
        temporary = renewed.password

        let temporaryLogin = try Self.logIn(browser, clave: temporary)
        #expect(temporaryLogin.status == 303)
        #expect(temporaryLogin.location?.hasSuffix("/soi/cambio-clave") == true)
        // Nothing else is reachable until the change.
        #expect(try browser.get("/soi/inicio").location?.hasSuffix("/soi/cambio-clave") == true)

        let change = try browser.get("/soi/cambio-clave")
        #expect(change.status == 200)
        #expect(change.text.contains("Ingresó con una clave temporal"))
        for name in ["clave_actual", "clave_nueva", "clave_confirmacion"] { #expect(change.text.contains("name=\"\(name)\"")) }

        let wrongCurrent = try browser.submit(change, to: "/soi/cambio-clave", [
            "clave_actual": Demo.soiPassword, "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026"])
        #expect(wrongCurrent.status == 422)
        #expect(wrongCurrent.text.contains("La clave actual no es correcta."))
        let mismatch = try browser.submit(change, to: "/soi/cambio-clave", [
            "clave_actual": temporary, "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2025"])
        #expect(mismatch.status == 422)
        #expect(mismatch.text.contains("La confirmación no coincide con la nueva clave."))
        #expect(!mismatch.text.contains("Aportes Al Dia"))  // passwords are never echoed back

        let changed = try browser.submit(change, to: "/soi/cambio-clave", [
            "clave_actual": temporary, "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026"])
        #expect(changed.status == 303)
        #expect(changed.location?.hasSuffix("/soi/inicio") == true)
        let home = try browser.get("/soi/inicio")
        #expect(home.status == 200)
        #expect(home.text.contains("Liquidación de aportes"))
        #expect(home.text.contains("Su clave fue cambiada"))
        // The other device's session is gone.
        #expect(try otherDevice.get("/soi/inicio").location?.hasSuffix("/soi/ingreso") == true)

        let notice = try harness.waitForMail(to: Demo.soiEmail, newerThan: renewed.mail.id)
        #expect(notice.subject == "SOI - Su clave fue cambiada")
        #expect(notice.text.contains("¿No fue usted?"))
        #expect(notice.html.contains("¿No fue usted?"))
        #expect(notice.text.contains("Bogotá: 3808880"))

        let logout = try browser.submit(home, to: "/soi/salir", [:])
        #expect(logout.location?.hasSuffix("/soi/ingreso") == true)
        #expect(try browser.get("/soi/inicio").location?.hasSuffix("/soi/ingreso") == true)
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: Demo.soiPassword)))
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: temporary)))
        #expect(try Self.logIn(browser, clave: "Aportes Al Dia 2026").location?.hasSuffix("/soi/inicio") == true)

        // The audit log has every step and no secret.
        let entries = try harness.context.database.read { tx in try tx.auditLog.recent(limit: 200) }
        for event in ["reset.requested", "temporary_password.used", "login.succeeded", "password.changed", "logout"] {
            #expect(entries.contains { $0.event == event }, "missing \(event)")
        }
        for entry in entries {
            #expect(!entry.detail.contains(temporary) && !entry.detail.contains("Aportes Al Dia"))
        }
    }

    /// `page` with every per-request token (the CSRF field) replaced by a fixed mark.
    static func withoutTokens(_ page: String) -> String {
        var text = page
        while let start = text.range(of: "name=\"csrf\" value=\""),
              let end = text[start.upperBound...].firstIndex(of: "\"") {
            text.replaceSubrange(start.lowerBound..<end, with: "name=\"csrf\" valor-omitido=\"")
        }
        return text
    }

    @Test("Known account, unknown usuario, unknown aportante, wrong correo: the same answer byte for byte")
    func uniformAnswer() throws {
        let harness = try AppHarness()
        var answers: [WebResponse] = []
        for overrides in [[:], ["usuario_numero": "99887766"], ["aportante_numero": "800197268-4"],
                          ["correo": "otra.persona@example.com"]] {
            answers.append(try harness.browser().fillAndSubmit("/soi/olvido-clave", Self.forgotFields(overrides)))
        }
        let reference = answers[0]
        #expect(reference.status == 200)
        #expect(reference.text.contains("Si los datos corresponden"))
        let headerNames = { (response: WebResponse) in
            response.headers.map { $0.0.lowercased() }.filter { $0 != "date" && $0 != "set-cookie" }.sorted()
        }
        for answer in answers.dropFirst() {
            #expect(answer.status == reference.status)
            #expect(headerNames(answer) == headerNames(reference))
            #expect(Self.withoutTokens(answer.text) == Self.withoutTokens(reference.text))
        }
        // Only the real account got mail.
        _ = try harness.waitForMail(to: Demo.soiEmail)
        #expect(try Self.outboxCount(harness) == 1)
    }

    @Test("A POST without or with a wrong CSRF token changes nothing and sends nothing")
    func csrf() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        _ = try browser.get("/soi/olvido-clave")
        let fields = Self.forgotFields().sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        #expect(try browser.post("/soi/olvido-clave", fields).status == 403)
        #expect(try browser.post("/soi/olvido-clave", [("csrf", "falso")] + fields).status == 403)
        #expect(try Self.outboxCount(harness) == 0)
        #expect(try harness.context.database.read { tx in try tx.users.findSOI(aportante: try Document(parsing: Demo.soiCompany),
                                                                               user: try Document(parsing: Demo.soiUser)) }?.temporaryPasswordHash == nil)
        // Cambio de Clave too.
        #expect(try Self.logIn(browser, clave: Demo.soiPassword).status == 303)
        #expect(try browser.post("/soi/cambio-clave", [("clave_actual", Demo.soiPassword), ("clave_nueva", "Aportes Al Dia 2026"),
                                                      ("clave_confirmacion", "Aportes Al Dia 2026")]).status == 403)
        #expect(try Self.logIn(harness.browser(), clave: Demo.soiPassword).status == 303)
    }

    @Test("Wrong or partial data gets the form back with each field's message; nothing is sent", arguments: [
        (["aportante_numero": ""], "Escriba el número de documento."),
        (["aportante_numero": "900123456-1"], "El dígito de verificación del NIT no corresponde."),
        (["usuario_tipo": "ZZ"], "Seleccione el tipo de documento."),
        (["usuario_numero": "12ab"], "El número de documento debe tener entre 3 y 15 dígitos, sin letras."),
        (["correo": ""], "Escriba su correo electrónico."),
        (["correo": "sin-arroba"], "El correo electrónico no es válido."),
    ])
    func badInput(overrides: [String: String], message: String) throws {
        let harness = try AppHarness()
        let answer = try harness.browser().fillAndSubmit("/soi/olvido-clave", Self.forgotFields(overrides))
        #expect(answer.status == 422)
        #expect(answer.text.contains(message))
        #expect(answer.text.contains("Revise los campos marcados."))
        #expect(try Self.outboxCount(harness) == 0)
    }

    @Test("A newer request supersedes the earlier temporary password")
    func superseded() throws {
        let harness = try AppHarness()
        let first = try Self.requestTemporaryPassword(harness)
        let second = try Self.requestTemporaryPassword(harness, after: first.mail.id)
        #expect(first.password != second.password)
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: first.password)))
        #expect(try Self.logIn(harness.browser(), clave: second.password).location?.hasSuffix("/soi/cambio-clave") == true)
    }

    @Test("An expired temporary password is refused; the old clave still works")
    func expired() throws {
        let harness = try AppHarness()
        let temporary = try Self.requestTemporaryPassword(harness).password
        harness.clock.advance(by: 24 * 3600 + 60)
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: temporary)))
        #expect(try Self.logIn(harness.browser(), clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
    }

    @Test("A used temporary password cannot be used again")
    func usedOnce() throws {
        let harness = try AppHarness()
        let temporary = try Self.requestTemporaryPassword(harness).password
        let browser = harness.browser()
        #expect(try Self.logIn(browser, clave: temporary).location?.hasSuffix("/soi/cambio-clave") == true)
        _ = try browser.fillAndSubmit("/soi/cambio-clave", ["clave_actual": temporary, "clave_nueva": "Aportes Al Dia 2026",
                                                            "clave_confirmacion": "Aportes Al Dia 2026"])
        #expect(Self.refused(try Self.logIn(harness.browser(), clave: temporary)))
    }

    @Test("Each policy rule is shown on Cambio de Clave and nothing changes", arguments: [
        ("corta", "Debe tener mínimo 8 caracteres."),
        ("password1", "Es una contraseña demasiado común"),
        ("clave1020304050", "No debe contener su número de identificación."),
        (Demo.soiPassword, "La nueva clave debe ser distinta de la clave actual."),
    ])
    func policy(new: String, message: String) throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        #expect(try Self.logIn(browser, clave: Demo.soiPassword).status == 303)
        let page = try browser.get("/soi/cambio-clave")
        #expect(page.text.contains("debe cambiar la clave periódicamente"))  // by choice, not forced
        let answer = try browser.submit(page, to: "/soi/cambio-clave",
                                        ["clave_actual": Demo.soiPassword, "clave_nueva": new, "clave_confirmacion": new])
        #expect(answer.status == 422)
        #expect(answer.text.contains(message))
        #expect(try Self.logIn(harness.browser(), clave: Demo.soiPassword).status == 303)
    }

    @Test("Cambio de Clave needs a logged-in SOI user")
    func changeNeedsLogin() throws {
        let harness = try AppHarness()
        #expect(try harness.browser().get("/soi/cambio-clave").location?.hasSuffix("/soi/ingreso") == true)
    }

    @Test("Requests are limited per identity (existing or not) with 429 and Retry-After")
    func rateLimits() throws {
        let harness = try AppHarness() { configuration in
            configuration.rateLimits = RateLimitPolicy(routes: [SOIRecovery.requestRoute: RouteLimits(
                perAddress: RateLimitRule(100, per: 900), perIdentifier: RateLimitRule(2, per: 900))])
        }
        for overrides in [[:], ["usuario_numero": "99887766"]] {
            let browser = harness.browser()
            #expect(try browser.fillAndSubmit("/soi/olvido-clave", Self.forgotFields(overrides)).status == 200)
            #expect(try browser.fillAndSubmit("/soi/olvido-clave", Self.forgotFields(overrides)).status == 200)
            let limited = try browser.fillAndSubmit("/soi/olvido-clave", Self.forgotFields(overrides))
            #expect(limited.status == 429)
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 > 0)
        }
        _ = try harness.waitForMail(to: Demo.soiEmail)
        #expect(try Self.outboxCount(harness) == 2)
    }

    @Test("Wrong Clave Actual guesses on Cambio de Clave end in 429; the password is unchanged")
    func changeRateLimit() throws {
        let harness = try AppHarness() { configuration in
            configuration.rateLimits = RateLimitPolicy(routes: [SOIRecovery.changeRoute: RouteLimits(
                perAddress: RateLimitRule(100, per: 900), perIdentifier: RateLimitRule(2, per: 900))])
        }
        let browser = harness.browser()
        #expect(try Self.logIn(browser, clave: Demo.soiPassword).status == 303)
        let guess = ["clave_actual": "adivinanza-1", "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026"]
        #expect(try browser.fillAndSubmit("/soi/cambio-clave", guess).status == 422)
        #expect(try browser.fillAndSubmit("/soi/cambio-clave", guess).status == 422)
        let limited = try browser.fillAndSubmit("/soi/cambio-clave", guess.merging(["clave_actual": Demo.soiPassword]) { $1 })
        #expect(limited.status == 429)
        #expect(try Self.logIn(harness.browser(), clave: Demo.soiPassword).status == 303)
    }
}
