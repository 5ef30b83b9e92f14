import Foundation
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// Junk in every field: a clear page, never a 500, never a change.
@Suite("Cajacopi recovery with bad input")
struct CajacopiBadInputTests {
    @Test("junk request fields get a 4xx page",
          arguments: [
            [("correo", String(repeating: "a", count: 3_000) + "@example.com")],
            [("correo", "ana@example.com"), ("captcha_id", String(repeating: "é", count: 500)), ("captcha", "x")],
            [("correo", "ñandú@ejemplo.co"), ("captcha", String(repeating: "\u{0}", count: 10))],
            [],
          ])
    func junkRequest(fields: [(String, String)]) throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        let form = try browser.get("/cajacopi/restablecer")
        let page = try browser.post("/cajacopi/restablecer", [("csrf", try #require(form.field("csrf")))] + fields)
        #expect((400..<500).contains(page.status))
        #expect(page.text.contains("<html"))
        #expect(try harness.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.isEmpty)
    }

    @Test("junk new-password fields get a 4xx page",
          arguments: [
            [("token", String(repeating: "z", count: 5_000))],
            [("token", "A"), ("contrasena_nueva", String(repeating: "Aa1", count: 1_000))],
            [],
          ])
    func junkNewPassword(fields: [(String, String)]) throws {
        let harness = try CajacopiHarness()
        let browser = harness.browser()
        let form = try browser.get("/cajacopi/restablecer")
        let page = try browser.post("/cajacopi/nueva-contrasena", [("csrf", try #require(form.field("csrf")))] + fields)
        #expect((400..<500).contains(page.status))
    }

    @Test("an over-long password is refused by the policy, not by a crash")
    func overLongPassword() throws {
        let harness = try CajacopiHarness()
        let (browser, token) = try harness.userWithResetLink(email: "ana@example.com")
        let form = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        let long = String(repeating: "Aa1-", count: 40)
        let page = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(form.field("csrf"))), ("token", token),
            ("contrasena_nueva", long), ("contrasena_confirmacion", long),
        ])
        #expect(page.status == 422)
        #expect(page.text.contains("Debe tener máximo 128 caracteres."))
    }
}
