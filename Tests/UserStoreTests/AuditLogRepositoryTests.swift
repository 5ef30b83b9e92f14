import Foundation
import Testing
@testable import UserStore

@Suite struct AuditLogRepositoryTests {
    @Test func recentFiltersByUserAndEventNewestFirst() throws {
        let store = try StoreFixture()
        let now = StoreFixture.now
        let a = try store.database.write { tx in try tx.auditLog.record(portal: "secop", userID: 1, event: "login.failed", clientAddress: "127.0.0.1", detail: "wrong password", at: now) }
        let b = try store.database.write { tx in try tx.auditLog.record(portal: "secop", userID: 2, event: "login.failed", at: now) }
        let c = try store.database.write { tx in try tx.auditLog.record(portal: "soi", userID: 1, event: "reset.requested", clientAddress: "::1", at: now) }
        #expect(try store.database.read { tx in try tx.auditLog.recent() }.map(\.id) == [c, b, a])
        #expect(try store.database.read { tx in try tx.auditLog.recent(userID: 1) }.map(\.id) == [c, a])
        #expect(try store.database.read { tx in try tx.auditLog.recent(event: "login.failed") }.map(\.id) == [b, a])
        #expect(try store.database.read { tx in try tx.auditLog.recent(userID: 1, event: "login.failed", limit: 5) }
            == [AuditEntry(id: a, at: now, portal: "secop", userID: 1, event: "login.failed", clientAddress: "127.0.0.1", detail: "wrong password")])
        #expect(try store.database.read { tx in try tx.auditLog.recent(limit: 1) }.map(\.id) == [c])
    }
}
