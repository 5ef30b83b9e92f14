import Testing
import TestSupport
import RecoveryFlows

/// A new session id at every change of privilege (OWASP session management): logging in, and
/// SOI's «Cambio de Clave», which ends a must-change state or replaces a clave someone may have
/// seen. The old id must stop working, so an id planted or seen before the change is worth nothing.
@Suite("A new session id at every change of privilege")
struct SessionRotationTests {
    typealias Demo = AppHarness.Demo
    static let cookie = "clave_sesion"

    // There is no anonymous session any more (anonymous forms carry a signed token), so the
    // id that login must not keep is one the browser brought: planted by an attacker.
    @Test("logging in never keeps an id the browser brought, and that id logs nobody in")
    func loginRotates() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let planted = try SessionCookie.newID()
        browser.setCookie(Self.cookie, planted)
        let page = try browser.get("/soi/ingreso")
        _ = try browser.submit(page, to: "/soi/ingreso", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8",
                                                          "usuario_tipo": "CC", "usuario_numero": "1020304050",
                                                          "clave": Demo.soiPassword])
        let loggedIn = try #require(browser.cookies[Self.cookie])
        #expect(loggedIn != planted)
        let attacker = harness.browser()
        attacker.setCookie(Self.cookie, planted)
        #expect(try attacker.get("/soi/inicio").status == 303)
    }

    @Test("SOI «Cambio de Clave» gives the browser a new session id and the old one logs nobody in")
    func soiChangeRotates() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        #expect(try SOIRecoveryRoutesTests.logIn(browser, clave: Demo.soiPassword).location?.hasSuffix("/soi/inicio") == true)
        let before = try #require(browser.cookies[Self.cookie])

        let changed = try browser.submit(try browser.get("/soi/cambio-clave"), to: "/soi/cambio-clave", [
            "clave_actual": Demo.soiPassword, "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026",
        ])
        #expect(changed.status == 303)
        #expect(changed.location?.hasSuffix("/soi/inicio") == true)
        let after = try #require(browser.cookies[Self.cookie])
        #expect(after != before)
        #expect(try browser.get("/soi/inicio").status == 200, "the new id is logged in")

        let stale = harness.browser()
        stale.setCookie(Self.cookie, before)
        let refused = try stale.get("/soi/inicio")
        #expect(refused.status == 303)
        #expect(refused.location?.hasSuffix("/soi/ingreso") == true)
    }
}
