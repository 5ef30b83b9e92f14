import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Login, home and logout on the three portals, over HTTP against the real app.
@Suite struct LoginTests {
    typealias Demo = AppHarness.Demo

    static let soiFields = ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC",
                            "usuario_numero": "1020304050", "clave": Demo.soiPassword]

    /// (portal, login fields, the user's name on the home page)
    static let portals: [(String, [String: String], String)] = [
        ("soi", soiFields, "1020304050"),
        ("secop", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword], Demo.secopUser),
        ("cajacopi", ["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword], Demo.cajacopiEmail),
    ]

    @Test(arguments: portals)
    func demoUserLogsInSeesTheHomePageAndLogsOut(portal: String, fields: [String: String], name: String) throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        // An id planted before login (session fixation) must not become the session.
        let planted = try SessionCookie.newID()
        browser.setCookie("clave_sesion", planted)
        let page = try browser.get("/\(portal)/ingreso")
        #expect(page.status == 200)
        #expect(page.headerValues("Set-Cookie").allSatisfy { !$0.hasPrefix("clave_sesion=") }, "a visit makes no session")

        let login = try browser.submit(page, to: "/\(portal)/ingreso", fields)
        #expect(login.status == 303)
        #expect(login.location == "/\(portal)/inicio")
        let rotated = try #require(browser.cookies["clave_sesion"])
        #expect(rotated != planted, "a new session id at login")

        let home = try browser.get("/\(portal)/inicio")
        #expect(home.status == 200)
        #expect(home.text.contains(name))

        let logout = try browser.submit(home, to: "/\(portal)/salir", [:])
        #expect(logout.status == 303)
        #expect(logout.location == "/\(portal)/ingreso")
        #expect(browser.cookies["clave_sesion"] == nil, "logout deletes the cookie")
        #expect(try browser.get("/\(portal)/ingreso").text.contains("Cerró su sesión"))

        // The old session id is dead on the server too, not just forgotten by the browser.
        browser.setCookie("clave_sesion", rotated)
        let after = try browser.get("/\(portal)/inicio")
        #expect(after.status == 303)
        #expect(after.location == "/\(portal)/ingreso")
        let events = try harness.context.database.read { tx in try tx.auditLog.recent(limit: 20) }.map(\.event)
        #expect(events.contains("login.succeeded"))
        #expect(events.contains("logout"))
    }

    @Test func aSessionOfOnePortalDoesNotOpenAnother() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
        #expect(try browser.get("/cajacopi/inicio").status == 303)
        #expect(try browser.get("/secop/inicio").status == 200)
    }

    @Test func wrongPasswordAndUnknownUserReadTheSameAndKeepWhatWasTypedButThePassword() throws {
        let harness = try AppHarness()
        let wrong = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Nope-12345"])
        let unknown = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": "nadie.aqui", "contrasena": "Nope-12345"])
        #expect(wrong.status == 422)
        #expect(unknown.status == wrong.status)
        func message(_ page: WebResponse) -> String? {
            page.text.components(separatedBy: "<div class=\"notice error\" role=\"alert\"><p>").dropFirst().first?
                .components(separatedBy: "</p>").first
        }
        #expect(message(wrong) != nil)
        #expect(message(wrong) == message(unknown))
        #expect(wrong.text.contains("value=\"demo.secop\""))
        #expect(!wrong.text.contains("Nope-12345"))
        let entries = try harness.context.database.read { tx in try tx.auditLog.recent(limit: 10) }
        #expect(entries.filter { $0.event == "login.failed" }.count == 2)
        #expect(!entries.contains { $0.detail.contains("Nope") || $0.detail.contains("nadie") })
    }

    /// The lock this test used to check is gone (a stranger could lock the owner out): failures
    /// now slow untrusted clients with growing waits, and a right password waits like a wrong one.
    @Test func consecutiveFailuresSlowUntrustedClientsWithGrowingWaits() throws {
        let harness = try AppHarness() { $0.login = LoginThrottlePolicy(freeFailures: 3, firstDelay: 60) }
        let browser = harness.browser()
        for _ in 0..<4 {
            #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Mala-1234"]).status == 422)
        }
        // Waiting: even the right password is refused, with the same answer as a wrong one.
        let refused = try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword])
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "120", "the refused attempt counted: the wait doubled")
        let user = try #require(try harness.context.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        #expect(!user.isLocked(at: harness.clock.now()), "nothing locks the account")
        #expect(try harness.context.database.read { tx in try tx.auditLog.recent(event: "login.throttled") }.first?.detail
            == "reason=throttled failures=5 throttle=5")

        harness.clock.advance(by: 121)
        #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
    }

    @Test func aHashBelowTheCurrentCostIsUpgradedAtLogin() throws {
        // The one test at the default (production) cost: the demo hashes use the cheap one.
        let harness = try AppHarness(seedDemo: false) { $0.hashCost = .default }
        let cheap = PasswordHasher(cost: .testing)
        let user = try harness.context.database.write { tx in try tx.users.create(
            try NewUser(portal: .secop, username: "costo.bajo", email: EmailAddress("bajo@example.com")!),
            passwordHash: try cheap.hash("Costo-Bajo-2026"), now: harness.clock.now()) }
        #expect(harness.context.hasher.needsRehash(user.passwordHash))
        let login = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": "costo.bajo", "contrasena": "Costo-Bajo-2026"])
        #expect(login.status == 303)
        let upgraded = try #require(try harness.context.database.read { tx in try tx.users.find(id: user.id) })
        #expect(upgraded.passwordHash != user.passwordHash)
        #expect(!harness.context.hasher.needsRehash(upgraded.passwordHash))
        #expect(try harness.context.hasher.verify("Costo-Bajo-2026", against: upgraded.passwordHash))
    }

    @Test func theHomePageNeedsALogin() throws {
        let harness = try AppHarness()
        for portal in ["soi", "secop", "cajacopi"] {
            let response = try harness.browser().get("/\(portal)/inicio")
            #expect(response.status == 303)
            #expect(response.location == "/\(portal)/ingreso")
        }
    }
}
