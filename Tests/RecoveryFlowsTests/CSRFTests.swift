import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Every POST needs the csrf field of its browser (its session's, or without one its form
/// cookie's); otherwise 403 and nothing changes.
@Suite struct CSRFTests {
    typealias Demo = AppHarness.Demo
    static let fields = [("usuario", Demo.secopUser), ("contrasena", Demo.secopPassword)]

    @Test func aLoginWithoutTheTokenIsRefusedAndChangesNothing() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        _ = try browser.get("/secop/ingreso")
        let refused = try browser.post("/secop/ingreso", Self.fields)
        #expect(refused.status == 403)
        #expect(refused.text.contains("Acceso denegado"))
        #expect(try browser.get("/secop/inicio").status == 303, "not logged in")
        #expect(try harness.context.database.read { tx in try tx.auditLog.recent(event: "csrf.rejected") }.count == 1)
        #expect(try harness.context.database.read { tx in try tx.auditLog.recent(event: "login.succeeded") }.isEmpty)
    }

    @Test func aWrongTokenOrOneFromAnotherSessionIsRefused() throws {
        let harness = try AppHarness()
        let other = harness.browser()
        let othersToken = try other.get("/secop/ingreso").csrfToken()
        let browser = harness.browser()
        let page = try browser.get("/secop/ingreso")
        #expect(try page.csrfToken() != othersToken)
        #expect(try browser.post("/secop/ingreso", [("csrf", othersToken)] + Self.fields).status == 403)
        #expect(try browser.post("/secop/ingreso", [("csrf", "x")] + Self.fields).status == 403)
        #expect(try browser.post("/secop/ingreso", [("csrf", "")] + Self.fields).status == 403)
        // Wrong passwords behind a bad token count nothing against the account.
        #expect(try browser.post("/secop/ingreso", [("csrf", "x"), ("usuario", Demo.secopUser), ("contrasena", "mala")]).status == 403)
        #expect(try harness.context.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) }?.failedLogins == 0)
        #expect(try browser.submit(page, to: "/secop/ingreso", Dictionary(uniqueKeysWithValues: Self.fields)).status == 303)
    }

    @Test func withoutASessionCookieEveryPostIsRefused() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get("/cajacopi/ingreso")
        browser.clearCookies()
        #expect(try browser.submit(page, to: "/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword]).status == 403)
    }

    // An anonymous form's token is signed with its expiry (``AppConfiguration/formLifetime``,
    // 2 hours) instead of living as long as an anonymous session row (15 idle minutes): the
    // form is left open past that lifetime now.
    @Test func aFormLeftOpenPastItsLifetimeSaysWhatToDo() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get("/secop/olvide-contrasena")
        harness.clock.advance(by: harness.context.configuration.formLifetime + 60)
        let refused = try browser.submit(page, to: "/secop/olvide-contrasena", ["usuario": Demo.secopUser])
        #expect(refused.status == 403)
        #expect(refused.text.contains("El formulario caducó"))
        #expect(refused.text.contains("envíelo de nuevo"))
        #expect(try harness.context.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.isEmpty, "nothing was sent")
        #expect(try harness.context.database.read { tx in try tx.auditLog.recent(event: "csrf.rejected") }.count == 1)
    }

    @Test func logoutNeedsTheTokenAndTheLoginTokenDiesAtLogin() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get("/secop/ingreso")
        #expect(try browser.submit(page, to: "/secop/ingreso", Dictionary(uniqueKeysWithValues: Self.fields)).status == 303)
        #expect(try browser.post("/secop/salir", []).status == 403)
        #expect(try browser.submit(page, to: "/secop/salir", [:]).status == 403, "the pre-login token no longer works")
        #expect(try browser.get("/secop/inicio").status == 200, "still logged in")
    }
}
