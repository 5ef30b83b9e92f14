import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Session expiry and storage, moving the app's clock instead of sleeping.
@Suite struct SessionTests {
    typealias Demo = AppHarness.Demo

    func loggedIn(_ harness: AppHarness) throws -> WebClient {
        let browser = harness.browser()
        let login = try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword])
        try #require(login.status == 303)
        return browser
    }

    @Test func anIdleSessionExpires() throws {
        let harness = try AppHarness() { $0.sessionLifetime = SessionLifetime(idle: 15 * 60, absolute: 8 * 3600) }
        let browser = try loggedIn(harness)
        harness.clock.advance(by: 14 * 60)
        #expect(try browser.get("/secop/inicio").status == 200, "activity within the idle time")
        harness.clock.advance(by: 14 * 60)
        #expect(try browser.get("/secop/inicio").status == 200, "the last request pushed the idle expiry")
        harness.clock.advance(by: 15 * 60 + 1)
        let expired = try browser.get("/secop/inicio")
        #expect(expired.status == 303)
        #expect(expired.location == "/secop/ingreso")
    }

    @Test func anActiveSessionStillEndsAtItsAbsoluteExpiry() throws {
        let harness = try AppHarness() { $0.sessionLifetime = SessionLifetime(idle: 15 * 60, absolute: 3600) }
        let browser = try loggedIn(harness)
        for _ in 0..<5 {
            harness.clock.advance(by: 10 * 60)
            #expect(try browser.get("/secop/inicio").status == 200)
        }
        harness.clock.advance(by: 10 * 60 + 1)
        #expect(try browser.get("/secop/inicio").status == 303)
    }

    // The session cookie now comes with the login (a visit makes no session); the form cookie
    // a visit gets is hardened the same way.
    @Test func onlyTheHashOfTheIdIsStoredAndTheCookieIsHardened() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get("/secop/ingreso")
        let formCookie = try #require(page.headerValues("Set-Cookie").first { $0.hasPrefix("clave_formulario=") })
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] { #expect(formCookie.contains(attribute)) }
        #expect(!formCookie.contains("Max-Age") && !formCookie.contains("Secure"))
        let login = try browser.submit(page, to: "/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword])
        let cookie = try #require(login.headerValues("Set-Cookie").first { $0.hasPrefix("clave_sesion=") })
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Lax"))
        #expect(cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"), "plain http public URL")
        let id = try #require(browser.cookies["clave_sesion"])
        #expect(try harness.context.database.read { tx in try tx.sessions.find(idHash: SHA256.hex(id), now: harness.clock.now()) } != nil)
        #expect(try harness.context.database.read { tx in try tx.sessions.find(idHash: id, now: harness.clock.now()) } == nil)
    }

    @Test func behindHTTPSTheCookieIsSecure() throws {
        let harness = try AppHarness() { $0.publicURL = URL(string: "https://clave.example.com")! }
        let browser = harness.browser()
        let page = try browser.get("/cajacopi/ingreso")
        let formCookie = try #require(page.headerValues("Set-Cookie").first { $0.hasPrefix("clave_formulario=") })
        #expect(formCookie.contains("Secure"))
        let login = try browser.submit(page, to: "/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword])
        let cookie = try #require(login.headerValues("Set-Cookie").first { $0.hasPrefix("clave_sesion=") })
        #expect(cookie.contains("Secure"))
    }

    @Test func aForgedOrJunkCookieGivesNoSession() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        browser.setCookie("clave_sesion", try SecureRandom.token(bytes: 32))
        #expect(try browser.get("/secop/inicio").status == 303)
        browser.setCookie("clave_sesion", "x")
        #expect(try browser.get("/secop/ingreso").status == 200)
    }
}
