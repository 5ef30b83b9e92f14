import ClaveCrypto
import Foundation
import Testing
@testable import UserStore

@Suite struct PasswordVerifierTests {
    let now = StoreFixture.now

    @Test func matchesCurrentTemporaryOrNone() throws {
        let store = try StoreFixture()
        let hasher = PasswordHasher(cost: .testing)
        let verifier = try PasswordVerifier(hasher: hasher)
        let user = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "vera", email: #require(EmailAddress("v@example.com"))),
                                                                        passwordHash: try hasher.hash("Actual-2026"), now: now) }
        let mail = NewOutboxMessage(portal: "soi", sender: "s", recipient: "v@example.com", subject: "s", textBody: "t", htmlBody: "h")
        try store.database.write { tx in try tx.users.setTemporaryPassword(id: user.id, hash: try hasher.hash("Temporal-99"), expiresAt: now.addingTimeInterval(60), now: now, email: mail) }
        let stored = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(verifier.check("Actual-2026", for: stored, now: now) == .current)
        #expect(verifier.check("Temporal-99", for: stored, now: now) == .temporary)
        #expect(verifier.check("Temporal-99", for: stored, now: now.addingTimeInterval(60)) == .none, "expired")
        #expect(verifier.check("otra", for: stored, now: now) == .none)
        #expect(verifier.check("Actual-2026", for: nil, now: now) == .none)
        var broken = stored
        broken.passwordHash = "not a hash"
        #expect(verifier.check("Actual-2026", for: broken, now: now) == .none)
    }
}
