import ClaveCrypto
import Foundation
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// The guards around the Cajacopi flow over HTTP: CSRF and rate limits (the shell's, as the flow
/// uses them), no development back door in production, a malformed body.
@Suite("Cajacopi recovery guards")
struct CajacopiGuardTests {
    @Test("every POST without its CSRF field is refused and changes nothing")
    func missingCSRF() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "ana@example.com")
        let browser = harness.browser()
        let (_, captchaID, answer) = try browser.answeredCajacopiCaptcha()
        let request = try browser.post("/cajacopi/restablecer", [
            ("captcha_id", captchaID), ("correo", "ana@example.com"), ("captcha", answer),
        ])
        #expect(request.status == 403)
        let forged = try browser.post("/cajacopi/restablecer", [
            ("csrf", "AAAA"), ("captcha_id", captchaID), ("correo", "ana@example.com"), ("captcha", answer),
        ])
        #expect(forged.status == 403)
        #expect(try browser.post("/cajacopi/captcha", [("captcha_id", captchaID)]).status == 403)
        #expect(try harness.mail(to: "ana@example.com").isEmpty)

        _ = try browser.requestCajacopiReset(email: "ana@example.com")
        let token = try harness.latestToken(to: "ana@example.com")
        let change = try browser.post("/cajacopi/nueva-contrasena", [
            ("token", token), ("contrasena_nueva", "Tinaja-Roja-38"), ("contrasena_confirmacion", "Tinaja-Roja-38"),
        ])
        #expect(change.status == 403)
        #expect(try harness.database.read { tx in try tx.resetTokens
            .lookup(tokenHash: SHA256.hex(token), portal: .cajacopi, purpose: .passwordReset, now: harness.clock.now()) }.status == .valid)
        // The shell's CSRF check refused them before the flow ran, and said so in the audit log.
        #expect(try !harness.audit("csrf.rejected").isEmpty)
    }

    @Test("requests are rate-limited per email, known or not, with Retry-After")
    func rateLimitPerEmail() throws {
        let harness = try CajacopiHarness {
            $0.rateLimits.routes[CajacopiPortal.RecoveryLimit.forgotPassword]?.perIdentifier.limit = 2
        }
        try harness.addUser(email: "ana@example.com")
        for email in ["ana@example.com", "nadie@example.com"] {
            let browser = harness.browser()
            #expect(try browser.requestCajacopiReset(email: email).status == 200)
            #expect(try browser.requestCajacopiReset(email: email).status == 200)
            let limited = try browser.requestCajacopiReset(email: email)
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After").flatMap(Int.init).map { $0 > 0 } == true)
            // The shell's 429 page (ErrorPages), the same whatever the email was.
            #expect(limited.text.contains("Demasiados intentos"))
        }
        #expect(try harness.mail(to: "ana@example.com").count == 2)
    }

    @Test("requests and link redemptions are rate-limited per address")
    func rateLimitPerAddress() throws {
        let harness = try CajacopiHarness {
            $0.rateLimits.routes[CajacopiPortal.RecoveryLimit.forgotPassword]?.perAddress.limit = 2
            $0.rateLimits.routes[CajacopiPortal.RecoveryLimit.changePassword]?.perAddress.limit = 2
            $0.rateLimits.routes[CajacopiPortal.RecoveryLimit.openLink]?.perAddress.limit = 2
        }
        let browser = harness.browser()
        #expect(try browser.requestCajacopiReset(email: "a@example.com").status == 200)
        #expect(try browser.requestCajacopiReset(email: "b@example.com").status == 200)
        #expect(try browser.requestCajacopiReset(email: "c@example.com").status == 429)
        let token = String(repeating: "B", count: 43)
        #expect(try browser.get("/cajacopi/nueva-contrasena?token=\(token)").status == 404)
        #expect(try browser.get("/cajacopi/nueva-contrasena?token=\(token)").status == 404)
        #expect(try browser.get("/cajacopi/nueva-contrasena?token=\(token)").status == 429)
    }

    // Page views and "Refrescar" used to spend one stored counter; a GET now writes nothing,
    // so page views count in this process's memory and "Refrescar" (a POST) in the store, each
    // against the same rule.
    @Test("captchas drawn are rate-limited per address: page views in memory, Refrescar in the store")
    func rateLimitCaptchas() throws {
        let harness = try CajacopiHarness {
            $0.rateLimits.routes[CajacopiPortal.RecoveryLimit.captcha]?.perAddress.limit = 2
        }
        let browser = harness.browser()
        let first = try browser.get("/cajacopi/restablecer")
        #expect(first.status == 200)
        #expect(try browser.get("/cajacopi/restablecer").status == 200)
        let limited = try browser.get("/cajacopi/restablecer")
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") != nil)
        #expect(try harness.database.read { tx in try tx.auditLog.recent(limit: 10) }.isEmpty, "a refused GET writes nothing either")

        for _ in 0..<2 {
            let refreshed = try browser.post("/cajacopi/captcha", [
                ("csrf", try #require(first.field("csrf"))), ("captcha_id", try #require(first.field("captcha_id"))),
            ])
            // Post/Redirect/Get: the address bar ends on the request page, never on the POST.
            #expect(refreshed.status == 303)
            #expect(refreshed.header("Location") == "/cajacopi/restablecer")
        }
        let refused = try browser.post("/cajacopi/captcha", [
            ("csrf", try #require(first.field("csrf"))), ("captcha_id", try #require(first.field("captcha_id"))),
        ])
        #expect(refused.status == 429)
        #expect(try !harness.audit("rate.limited").isEmpty, "a refused POST is audited")
    }

    @Test("production mode never mounts the development captcha route nor records answers")
    func productionHasNoBackdoor() throws {
        let harness = try CajacopiHarness(development: false)
        #expect(harness.flow.captcha.developmentAnswers == nil)
        let browser = harness.browser()
        let (_, captchaID) = try browser.cajacopiRequestForm()
        #expect(try browser.get("/cajacopi/captcha/\(captchaID).png").status == 200)
        // Asked from this machine (the route answers only a loopback Host): the used captcha is gone.
        #expect(try WebClient(transport: browser.transport).get("/_dev/captcha/\(captchaID)").status == 404)
    }

    @Test("a malformed form body gets a clear 400 page")
    func malformedBody() throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        _ = try browser.get("/cajacopi/restablecer")
        let page = try browser.send("POST", "/cajacopi/restablecer", body: "correo=%ZZ&captcha=%")
        #expect(page.status == 400)
        // The shell decodes the form before the flow runs; its 400 page says why.
        #expect(page.text.contains("El formulario enviado no es válido"))
    }

    @Test("the shell's default policy keeps the limits the flow had (per 15 minutes)")
    func defaultLimits() {
        let policy = RateLimitPolicy()
        let window: TimeInterval = 15 * 60
        let request = policy.limits(for: CajacopiPortal.RecoveryLimit.forgotPassword)
        #expect(request.perAddress == RateLimitRule(10, per: window))
        #expect(request.perIdentifier == RateLimitRule(5, per: window))
        #expect(policy.limits(for: CajacopiPortal.RecoveryLimit.captcha).perAddress == RateLimitRule(60, per: window))
        #expect(policy.limits(for: CajacopiPortal.RecoveryLimit.changePassword).perAddress == RateLimitRule(30, per: window))
        #expect(AppConfiguration(publicURL: URL(fileURLWithPath: "/")).rateLimits == policy)
    }
}
