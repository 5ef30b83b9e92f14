import ClaveCrypto
import ClaveTime
import Foundation
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// The Cajacopi journey over HTTP against a live server on a real SQLite file.
@Suite("Cajacopi recovery over HTTP")
struct CajacopiRecoveryRoutesTests {
    @Test("the whole journey: request, email, link, weak then good password, confirmation, old link dead")
    func wholeJourney() throws {
        let harness = try CajacopiHarness()
        let user = try harness.addUser(email: "luz.mora@example.com")
        let browser = harness.browser()

        let form = try browser.get("/cajacopi/restablecer")
        #expect(form.status == 200)
        for words in ["Olvide mi Contraseña (Verificar Datos)", "Información!", "12 Horas",
                      "Escriba las Letras (Sin Espacios, Tener en cuentas las Mayus. y Minus.)", "Enviar Solicitud",
                      "Refrescar", "CONFIRMAR DATOS"] {
            #expect(form.text.contains(words), "missing \(words)")
        }
        #expect(form.header("Cache-Control") == "no-store")
        #expect(form.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)

        let captchaID = try #require(form.field("captcha_id"))
        let image = try browser.get("/cajacopi/captcha/\(captchaID).png")
        #expect(image.status == 200)
        #expect(image.header("Content-Type") == "image/png")
        #expect(image.header("Cache-Control") == "no-store")
        #expect(Array(image.body.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

        let answer = try browser.cajacopiCaptchaAnswer(captchaID)
        #expect((6...8).contains(answer.count))
        let sent = try browser.post("/cajacopi/restablecer", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", captchaID), ("correo", "LUZ.MORA@example.com "),
            ("captcha", answer),
        ])
        #expect(sent.status == 200)
        #expect(sent.text.contains("Si los datos son correctos"))

        // The email: both parts, the guide's words, a link on the public URL (never the Host header).
        let email = try #require(try harness.mail(to: "luz.mora@example.com").first)
        #expect(email.subject == "Restablecimiento de Contraseña - Cajacopi")
        // HTML attributes escape "/" as "&#x2F;", which browsers decode.
        for body in [email.textBody, email.htmlBody.replacingOccurrences(of: "&#x2F;", with: "/")] {
            #expect(body.contains("Estimado(a) luz.mora@example.com, el proceso de verificación de usuario se realizó correctamente, a continuación puede restablecer su contraseña."))
            #expect(body.contains("Restablecer Contraseña"))
            #expect(body.contains("Spam"))
            #expect(body.contains("asisplaneacion@cajacopi.com"))
            #expect(body.contains("Importante! Este mensaje ha sido enviado por un sistema automático."))
            #expect(body.contains(CajacopiHarness.publicURL + "/cajacopi/nueva-contrasena?token="))
            #expect(!body.contains("evil.example"))
        }
        let token = try harness.latestToken(to: "luz.mora@example.com")
        #expect(token.count == 43)

        // Only the hash is stored.
        #expect(try harness.database.read { tx in try tx.resetTokens.lookup(tokenHash: token, portal: .cajacopi, purpose: .passwordReset, now: harness.clock.now()) }.status == .unknown)
        #expect(try harness.database.read { tx in try tx.resetTokens.lookup(tokenHash: SHA256.hex(token), portal: .cajacopi, purpose: .passwordReset, now: harness.clock.now()) }.status == .valid)

        // GET only shows the form, twice if a mail scanner fetched it first.
        let link = "/cajacopi/nueva-contrasena?token=\(token)"
        _ = try browser.get(link)
        let page = try browser.get(link)
        #expect(page.status == 200)
        #expect(page.header("Referrer-Policy") == "no-referrer")
        #expect(page.field("token") == token)
        for words in ["Mínimo 8 caracteres.", "Caracteres en mayúscula.", "Caracteres en minúscula.",
                      "Debe contener números.", "Actualizar Contraseña", "Nueva Contraseña", "Confirmar Contraseña"] {
            #expect(page.text.contains(words), "missing \(words)")
        }

        // A session of the user, open elsewhere, must not survive the change.
        try harness.database.write { tx in try tx.sessions.create(
            idHash: SHA256.hex("otra-sesion"), portal: "cajacopi", userID: user.id, csrfSecret: "x", now: harness.clock.now()) }

        let weak = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(page.field("csrf"))), ("token", token),
            ("contrasena_nueva", "luz1990"), ("contrasena_confirmacion", "luz1990"),
        ])
        #expect(weak.status == 422)
        #expect(weak.text.contains("Debe tener mínimo 8 caracteres."))
        #expect(weak.text.contains("Debe contener caracteres en mayúscula."))
        #expect(weak.text.contains("No debe contener su fecha de nacimiento."))
        #expect(try harness.database.read { tx in try tx.resetTokens.lookup(tokenHash: SHA256.hex(token), portal: .cajacopi, purpose: .passwordReset, now: harness.clock.now()) }.status == .valid)

        let good = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(weak.field("csrf"))), ("token", token),
            ("contrasena_nueva", "Tinaja-Roja-38"), ("contrasena_confirmacion", "Tinaja-Roja-38"),
        ])
        #expect(good.status == 200)
        #expect(good.text.contains("Contraseña actualizada"))
        #expect(good.header("Set-Cookie")?.contains("sesion") != true)

        let stored = try #require(try harness.database.read { tx in try tx.users.find(id: user.id) })
        #expect(try harness.hasher.verify("Tinaja-Roja-38", against: stored.passwordHash))
        #expect(try harness.database.read { tx in try tx.sessions.find(idHash: SHA256.hex("otra-sesion"), now: harness.clock.now()) } == nil)

        let confirmation = try #require(try harness.mail(to: "luz.mora@example.com").first)
        #expect(confirmation.subject == "Su contraseña fue actualizada - Cajacopi")
        for body in [confirmation.textBody, confirmation.htmlBody.replacingOccurrences(of: "&#x2F;", with: "/")] {
            #expect(body.contains("¿No fue usted?"))
            #expect(body.contains("asisplaneacion@cajacopi.com"))
            #expect(body.contains(CajacopiHarness.publicURL + "/cajacopi/ingreso"))
            #expect(!body.contains("Tinaja-Roja-38"))
        }

        // The link is single use.
        let reused = try browser.get(link)
        #expect(reused.status == 410)
        #expect(reused.text.contains("ya fue usado"))

        // The audit log has every step that changes something and no secret; opening the link
        // (a GET) writes nothing, it is a log line.
        for event in ["reset.requested", "password.refused", "password.changed"] {
            #expect(try !harness.audit(event).isEmpty, "no \(event) in the audit log")
        }
        #expect(try harness.audit("reset.link_opened").isEmpty, "a GET writes no audit entry")
        let everything = try harness.database.read { tx in try tx.auditLog.recent(limit: 500) }
        for entry in everything {
            #expect(!entry.detail.contains(token) && !entry.detail.contains("Tinaja") && !entry.detail.contains("luz1990"))
        }
    }

    @Test("the request answers a known and an unknown account byte for byte alike")
    func uniformAnswer() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "conocida@example.com")
        let known = try harness.browser().requestCajacopiReset(email: "conocida@example.com")
        let unknown = try harness.browser().requestCajacopiReset(email: "desconocida@example.com")
        #expect(known.status == 200)
        #expect(unknown.status == known.status)
        #expect(unknown.body == known.body)
        let names = { (page: CajacopiPage) in page.headers.map { $0.0.lowercased() }.filter { $0 != "date" }.sorted() }
        #expect(names(unknown) == names(known))
        #expect(try harness.mail(to: "conocida@example.com").count == 1)
        #expect(try harness.mail(to: "desconocida@example.com").isEmpty)
        #expect(try harness.audit("reset.requested").filter { $0.detail.hasPrefix("account=unknown") }.count == 1)
    }

    @Test("a wrong answer burns the captcha and shows a new one; case matters; no email")
    func wrongCaptcha() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "ana@example.com")
        let browser = harness.browser()
        let (form, captchaID, answer) = try browser.answeredCajacopiCaptcha()
        let swapped = String(answer.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
        #expect(swapped != answer)
        let wrong = try browser.post("/cajacopi/restablecer", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", captchaID), ("correo", "ana@example.com"),
            ("captcha", swapped),
        ])
        #expect(wrong.status == 422)
        #expect(wrong.text.contains("Las letras no coinciden con la imagen"))
        #expect(wrong.field("correo") == "ana@example.com")
        let fresh = try #require(wrong.field("captcha_id"))
        #expect(fresh != captchaID)
        #expect(try browser.get("/cajacopi/captcha/\(captchaID).png").status == 404)
        // Asked from this machine (the route answers only a loopback Host): the used captcha is gone.
        #expect(try WebClient(transport: browser.transport).get("/_dev/captcha/\(captchaID)").status == 404)

        // Reusing the burnt captcha with its right answer fails too.
        let reused = try browser.post("/cajacopi/restablecer", [
            ("csrf", try #require(wrong.field("csrf"))), ("captcha_id", captchaID), ("correo", "ana@example.com"),
            ("captcha", answer),
        ])
        #expect(reused.status == 422)
        #expect(reused.text.contains("ya fue usado o no es válido"))
        #expect(try harness.mail(to: "ana@example.com").isEmpty)
        #expect(try harness.audit("captcha.refused").count == 2)
    }

    @Test("an expired captcha is refused")
    func expiredCaptcha() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "ana@example.com")
        let browser = harness.browser()
        let (form, captchaID, answer) = try browser.answeredCajacopiCaptcha()
        harness.clock.advance(by: 5 * 60 + 1)
        #expect(try browser.get("/cajacopi/captcha/\(captchaID).png").status == 404)
        let late = try browser.post("/cajacopi/restablecer", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", captchaID), ("correo", "ana@example.com"),
            ("captcha", answer),
        ])
        #expect(late.status == 422)
        #expect(late.text.contains("venció"))
        #expect(try harness.mail(to: "ana@example.com").isEmpty)
    }

    @Test("Refrescar is a plain form POST and a redirect (Post/Redirect/Get): new captcha, email kept, old one gone")
    func refresh() throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        let (form, old) = try browser.cajacopiRequestForm()
        let redirect = try browser.post("/cajacopi/captcha", [
            ("csrf", try #require(form.field("csrf"))), ("captcha_id", old), ("correo", "escrito+1@example.com"),
            ("captcha", ""), ("refrescar", "1"),
        ])
        #expect(redirect.status == 303)
        let location = try #require(redirect.header("Location"))
        #expect(location == "/cajacopi/restablecer?correo=escrito%2B1%40example.com")
        let refreshed = try browser.get(location)
        #expect(refreshed.status == 200)
        #expect(refreshed.field("correo") == "escrito+1@example.com")
        let new = try #require(refreshed.field("captcha_id"))
        #expect(new != old)
        #expect(try browser.get("/cajacopi/captcha/\(old).png").status == 404)
        #expect(try browser.get("/cajacopi/captcha/\(new).png").status == 200)
    }

    @Test("a malformed email is refused with a clear message and a new captcha")
    func invalidEmail() throws {
        let harness = try CajacopiHarness()
        let page = try harness.browser().requestCajacopiReset(email: "no-es-un-correo")
        #expect(page.status == 422)
        #expect(page.text.contains("Escriba un correo electrónico válido."))
    }

    @Test("an expired link says so and changes nothing")
    func expiredLink() throws {
        let harness = try CajacopiHarness()
        let (browser, token) = try harness.userWithResetLink(email: "ana@example.com")
        _ = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        harness.clock.advance(by: 60 * 60 + 1)
        // The link's page was opened an hour ago; a page opened now gives the form a fresh
        // `csrf`, so the POST surely reaches the link's check.
        let form = try browser.get("/cajacopi/restablecer")
        let late = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(form.field("csrf"))), ("token", token),
            ("contrasena_nueva", "Tinaja-Roja-38"), ("contrasena_confirmacion", "Tinaja-Roja-38"),
        ])
        #expect(late.status == 410)
        #expect(late.text.contains("venció"))
        #expect(try harness.mail(to: "ana@example.com").count == 1)
    }

    @Test("a newer request supersedes the older link")
    func supersededLink() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "ana@example.com")
        let browser = harness.browser()
        _ = try browser.requestCajacopiReset(email: "ana@example.com")
        let first = try harness.latestToken(to: "ana@example.com")
        _ = try browser.requestCajacopiReset(email: "ana@example.com")
        let second = try harness.latestToken(to: "ana@example.com")
        #expect(first != second)
        let old = try browser.get("/cajacopi/nueva-contrasena?token=\(first)")
        #expect(old.status == 410)
        #expect(old.text.contains("use el del último correo"))
        #expect(try browser.get("/cajacopi/nueva-contrasena?token=\(second)").status == 200)
    }

    @Test("an unknown or mangled token is refused", arguments: ["", "abc", String(repeating: "A", count: 43), "../../etc/passwd"])
    func unknownToken(token: String) throws {
        let harness = try CajacopiHarness()
        let page = try harness.browser().get("/cajacopi/nueva-contrasena?token=\(CajacopiBrowser.encode(token))")
        #expect(page.status == 404)
        #expect(page.text.contains("El enlace no es válido"))
    }

    @Test("each policy rule is enforced on the page, and the link survives a refusal",
          arguments: [
            ("Ab1defg", "Debe tener mínimo 8 caracteres."),
            ("tinaja-roja-38", "Debe contener caracteres en mayúscula."),
            ("TINAJA-ROJA-38", "Debe contener caracteres en minúscula."),
            ("Tinaja-Roja-XX", "Debe contener números."),
            ("Password1", "Es una contraseña demasiado común"),
            ("Casa1122334455", "No debe contener su número de identificación."),
            ("Tel-3001234567x", "No debe contener su número de teléfono."),
            ("Luz-17051990-x", "No debe contener su fecha de nacimiento."),
            ("Ana.Perez-2026x", "No debe contener el nombre de su correo electrónico."),
          ])
    func policyRule(password: String, message: String) throws {
        let harness = try CajacopiHarness()
        let (browser, token) = try harness.userWithResetLink(email: "ana.perez@example.com")
        let form = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        let refused = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(form.field("csrf"))), ("token", token),
            ("contrasena_nueva", password), ("contrasena_confirmacion", password),
        ])
        #expect(refused.status == 422)
        #expect(refused.text.contains(message))
        #expect(refused.field("token") == token)
        #expect(try harness.mail(to: "ana.perez@example.com").count == 1)
    }

    @Test("a confirmation that does not match is refused")
    func mismatchedConfirmation() throws {
        let harness = try CajacopiHarness()
        let (browser, token) = try harness.userWithResetLink(email: "ana@example.com")
        let form = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        let refused = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(form.field("csrf"))), ("token", token),
            ("contrasena_nueva", "Tinaja-Roja-38"), ("contrasena_confirmacion", "Tinaja-Roja-39"),
        ])
        #expect(refused.status == 422)
        #expect(refused.text.contains("La confirmación no coincide con la nueva contraseña."))
    }
}
