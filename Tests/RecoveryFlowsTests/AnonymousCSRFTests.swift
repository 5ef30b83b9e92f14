import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Forms shown without a session carry a token signed over the browser's form cookie (OWASP's
/// signed double-submit): no row per visitor, bound to the browser, good across a restart.
@Suite("Anonymous forms: signed double-submit CSRF")
struct AnonymousCSRFTests {
    typealias Demo = AppHarness.Demo
    static let forgot = "/secop/olvide-contrasena"

    @Test("a token from browser A's page is refused with browser B's cookie, and works for A")
    func boundToTheBrowsersCookie() throws {
        let harness = try AppHarness()
        let browserA = harness.browser()
        let pageA = try browserA.get(Self.forgot)
        let browserB = harness.browser()
        _ = try browserB.get(Self.forgot)
        #expect(browserA.cookies[FormCookie.name] != browserB.cookies[FormCookie.name])
        let carried = try browserB.submit(pageA, to: Self.forgot, ["usuario": Demo.secopUser])
        #expect(carried.status == 403)
        #expect(carried.text.contains("El formulario caducó"))
        #expect(try harness.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.isEmpty)
        #expect(try browserA.submit(pageA, to: Self.forgot, ["usuario": Demo.secopUser]).status == 200)
    }

    @Test("a browser keeps its form cookie: every page reuses it, and its tokens all work")
    func theCookieIsReused() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let first = try browser.get(Self.forgot)
        let cookie = try #require(browser.cookies[FormCookie.name])
        let second = try browser.get("/secop/ingreso")
        #expect(second.headerValues("Set-Cookie").allSatisfy { !$0.hasPrefix(FormCookie.name + "=") }, "not set again")
        #expect(browser.cookies[FormCookie.name] == cookie)
        #expect(try browser.submit(first, to: Self.forgot, ["usuario": Demo.secopUser]).status == 200)
        #expect(try browser.submit(second, to: "/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
    }

    @Test("a forged or garbled cookie or token gets the 403 page and changes nothing",
          arguments: ["cookie: junk", "cookie: another well-formed value", "cookie: none",
                      "token: garbled", "token: re-dated", "token: empty", "token: huge"])
    func forgeries(_ forgery: String) throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get(Self.forgot)
        var token = try page.csrfToken()
        switch forgery {
        case "cookie: junk": browser.setCookie(FormCookie.name, "x")
        case "cookie: another well-formed value": browser.setCookie(FormCookie.name, try SecureRandom.token(bytes: 32))
        case "cookie: none": browser.clearCookies()
        case "token: garbled": token = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
        case "token: re-dated":
            let parts = token.split(separator: ".")
            token = "\(Int(parts[0])! + 86_400)." + parts[1]
        case "token: empty": token = ""
        default: token = String(repeating: "9", count: 200) + "." + token
        }
        let refused = try browser.post(Self.forgot, [("csrf", token), ("usuario", Demo.secopUser)])
        #expect(refused.status == 403)
        #expect(refused.text.contains("Acceso denegado"))
        #expect(try harness.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.isEmpty, "nothing was sent")
        #expect(try harness.database.read { tx in try tx.auditLog.recent(event: "csrf.rejected") }.count == 1)
    }

    @Test("a form shown before a restart is accepted after it (the key is in the database)")
    func survivesARestart() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get(Self.forgot)
        let cookie = try #require(browser.cookies[FormCookie.name])

        // A "restart": a new Database and AppContext over the same file.
        let restarted = try FlashRestartTests.app(over: try harness.database.reopened(), like: harness)
        let after = WebClient(transport: restarted.transport, host: "127.0.0.1")
        after.setCookie(FormCookie.name, cookie)
        let sent = try after.submit(page, to: Self.forgot, ["usuario": Demo.secopUser])
        #expect(sent.status == 200, "the restarted process accepts the open form")
        #expect(sent.text.contains("Si el usuario"))

        // Another installation's key does not.
        let elsewhere = try AppHarness()
        let stranger = elsewhere.browser()
        stranger.setCookie(FormCookie.name, cookie)
        #expect(try stranger.submit(page, to: Self.forgot, ["usuario": Demo.secopUser]).status == 403)
    }

    @Test("a form read for 16 minutes (an anonymous session's old idle lifetime) still sends")
    func longerThanTheOldSessionLifetime() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get(Self.forgot)
        harness.clock.advance(by: 16 * 60)
        #expect(try browser.submit(page, to: Self.forgot, ["usuario": Demo.secopUser]).status == 200)
    }

    @Test("once logged in, the session's own token is required: the form-cookie token is refused")
    func aSessionNeedsItsOwnToken() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let anonymous = try browser.get("/secop/ingreso")
        #expect(try browser.submit(anonymous, to: "/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
        let home = try browser.get("/secop/inicio")
        #expect(try home.csrfToken() != anonymous.csrfToken())
        #expect(try browser.submit(anonymous, to: "/secop/salir", [:]).status == 403, "the form cookie still rides along")
        #expect(try browser.submit(home, to: "/secop/salir", [:]).status == 303)
    }
}
