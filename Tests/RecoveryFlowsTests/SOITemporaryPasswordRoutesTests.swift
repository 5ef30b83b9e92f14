import ClaveTime
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Layer 3: the issue "Accounts a stranger can neither take nor block" over HTTP. The temporary
/// password dies after 60 minutes (or the configured lifetime), when the owner logs in with the
/// old clave, and, once logged in with, at the same deadline if "Cambio de Clave" is abandoned.
@Suite("SOI temporary password lifetime over HTTP")
struct SOITemporaryPasswordRoutesTests {
    typealias Routes = SOIRecoveryRoutesTests
    typealias Demo = AppHarness.Demo

    @Test("After 61 minutes the temporary password is refused; the old clave still works")
    func expiresAfterAnHour() throws {
        let harness = try AppHarness()
        // The page says it too (the same page whether or not the data matched).
        let page = try harness.browser().fillAndSubmit("/soi/olvido-clave", Routes.forgotFields(["usuario_numero": "99887766"]))
        // The page has no values (SOIRecoveryPagesTests): it points to the email for the time.
        #expect(page.text.contains("el correo le indica cuándo") && !page.text.contains("24 horas"))
        let request = try Routes.requestTemporaryPassword(harness)
        #expect(request.mail.text.contains("vence en 1 hora"))
        harness.clock.advance(by: 61 * 60)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: request.password)))
        #expect(try Routes.logIn(harness.browser(), clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
    }

    @Test("The configured lifetime reaches the steps and the email")
    func configuredLifetime() throws {
        let harness = try AppHarness() { $0.soiTemporaryPasswordLifetime = 10 * 60 }
        let request = try Routes.requestTemporaryPassword(harness)
        #expect(request.mail.text.contains("vence en 10 minutos"))
        harness.clock.advance(by: 11 * 60)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: request.password)))
    }

    @Test("Logging in with the old clave kills the pending temporary password")
    func oldClaveKillsTemporary() throws {
        let harness = try AppHarness()
        let temporary = try Routes.requestTemporaryPassword(harness).password
        #expect(try Routes.logIn(harness.browser(), clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: temporary)))
        #expect(try Routes.logIn(harness.browser(), clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
    }

    @Test("An abandoned Cambio de Clave: the temporary clave dies at its deadline; a new request and the change bring the owner back")
    func abandonedChange() throws {
        let harness = try AppHarness()
        let first = try Routes.requestTemporaryPassword(harness)
        #expect(try Routes.logIn(harness.browser(), clave: first.password).location?.hasSuffix("/soi/cambio-clave") == true)
        // Abandoned. Half an hour later it still leads to the forced change...
        harness.clock.advance(by: 30 * 60)
        #expect(try Routes.logIn(harness.browser(), clave: first.password).location?.hasSuffix("/soi/cambio-clave") == true)
        // ...but past the 60 minutes it is no clave at all (generic failure), nor is the old one.
        harness.clock.advance(by: 31 * 60)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: first.password)))
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: Demo.soiPassword)))
        // The way back: a new "¿Olvidó su clave?", then the change, whose clave has no deadline.
        let second = try Routes.requestTemporaryPassword(harness, after: first.mail.id)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: first.password)))
        let browser = harness.browser()
        #expect(try Routes.logIn(browser, clave: second.password).location?.hasSuffix("/soi/cambio-clave") == true)
        let changed = try browser.fillAndSubmit("/soi/cambio-clave", ["clave_actual": second.password,
            "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026"])
        #expect(changed.location?.hasSuffix("/soi/inicio") == true)
        harness.clock.advance(by: 3 * 86_400)
        #expect(try Routes.logIn(harness.browser(), clave: "Aportes Al Dia 2026").location?.hasSuffix("/soi/inicio") == true)
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: second.password)))
    }

    @Test("A stranger's throttle does not keep the owner from a promoted temporary clave before its deadline")
    func promotedGoesThroughLock() throws {
        let harness = try AppHarness() { $0.login = LoginThrottlePolicy(freeFailures: 3, firstDelay: 15 * 60) }
        let temporary = try Routes.requestTemporaryPassword(harness).password
        #expect(try Routes.logIn(harness.browser(), clave: temporary).location?.hasSuffix("/soi/cambio-clave") == true)
        for _ in 0..<3 { #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: "adivinanza"))) }
        #expect(Routes.refused(try Routes.logIn(harness.browser(), clave: "adivinanza")))
        #expect(try Routes.logIn(harness.browser(), clave: "adivinanza").status == 429, "the stranger is throttled now")
        #expect(try Routes.logIn(harness.browser(), clave: temporary).location?.hasSuffix("/soi/cambio-clave") == true)
    }
}
