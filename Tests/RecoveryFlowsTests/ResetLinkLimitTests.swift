import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// The emailed link's own limit counts its uses, not its openings: mail scanners open every
/// link they see (a GET), and their prefetches must never lock the owner out of the link.
@Suite struct ResetLinkLimitTests {
    /// Requests from a scanner's address, through the harness's trusted proxy.
    static func scanner(_ harness: AppHarness, address: String) -> WebClient {
        let client = harness.browser()
        client.extraHeaders = [("X-Forwarded-For", address)]
        return client
    }

    @Test("SECOP II: twenty scanner prefetches and two typos, then the owner's new password works")
    func secopPrefetchesDoNotSpendTheLink() throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let token = try harness.secopResetToken()
        for attempt in 0..<20 {
            // Each prefetch comes from another address of the scanner's pool, as they do.
            let opened = try Self.scanner(harness, address: "198.51.100.\(attempt + 1)").get("/secop/cambiar-contrasena?token=\(token)")
            #expect(opened.status == 200)
        }
        let owner = Self.scanner(harness, address: "203.0.113.7")
        for typo in ["corta", "Secop-Demo-2026"] {
            let page = try owner.get("/secop/cambiar-contrasena?token=\(token)")
            let refused = try owner.submit(page, to: "/secop/cambiar-contrasena",
                                           ["token": token, "contrasena_nueva": typo, "contrasena_confirmacion": typo + "x"])
            #expect(refused.status == 422)
        }
        let page = try owner.get("/secop/cambiar-contrasena?token=\(token)")
        let changed = try owner.submit(page, to: "/secop/cambiar-contrasena", [
            "token": token, "contrasena_nueva": "Caballo-Grapa-2027", "contrasena_confirmacion": "Caballo-Grapa-2027"])
        #expect(changed.status == 200)
        #expect(changed.text.contains("Contraseña cambiada") || changed.text.contains("cambiada"))
    }

    @Test("Cajacopi: prefetches from anywhere leave the link its ten uses; an eleventh try is refused")
    func cajacopiLinkHasItsOwnBudget() throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let token = try harness.cajacopiResetToken()
        for attempt in 0..<20 {
            let opened = try Self.scanner(harness, address: "198.51.100.\(attempt + 1)").get("/cajacopi/nueva-contrasena?token=\(token)")
            #expect(opened.status == 200)
        }
        let owner = Self.scanner(harness, address: "203.0.113.7")
        var statuses: [Int] = []
        for _ in 0..<11 {
            let page = try owner.get("/cajacopi/nueva-contrasena?token=\(token)")
            statuses.append(try owner.submit(page, to: "/cajacopi/nueva-contrasena",
                                             ["token": token, "contrasena_nueva": "corta", "contrasena_confirmacion": "corta"]).status)
        }
        #expect(statuses.prefix(10).allSatisfy { $0 == 422 }, "\(statuses)")
        #expect(statuses.last == 429, "the link is no guessing oracle")
    }
}
