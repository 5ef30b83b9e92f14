import Foundation
import Testing
import TestSupport
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

    @Test("the login's count of a user's recent locks is an index look-up, whatever the log's size",
          .enabled(if: TestStore.isSQLite))
    func countingAUsersEventsNeverScansTheLog() throws {
        let store = try StoreFixture()
        let now = StoreFixture.now
        // A log of 20,000 entries of 500 other users, and user 7's: three locks within the hour,
        // one older, and failures.
        try store.database.write { tx in
            for index in 0..<20_000 {
                let event = index % 97 == 0 ? "login.locked" : "login.failed"
                let at = now.addingTimeInterval(-Double(index))
                try tx.auditLog.record(portal: "secop", userID: Int64(1_000 + index % 500), event: event, at: at)
            }
            for (event, secondsAgo) in [("login.locked", 60.0), ("login.locked", 600), ("login.locked", 3000), ("login.locked", 7200),
                                        ("login.failed", 30)] {
                try tx.auditLog.record(portal: "secop", userID: 7, event: event, at: now.addingTimeInterval(-secondsAgo))
            }
        }
        #expect(try store.database.read { tx in try tx.auditLog.count(userID: 7, event: "login.locked", since: now.addingTimeInterval(-3600)) }
                == 3)
        let plan = try store.database.read { tx in
            try tx.query("EXPLAIN QUERY PLAN " + AuditLogRepository<ReadAccess>.countQuery, [7, "login.locked", now]) { try $0.string(3) }
        }.joined(separator: " | ")
        #expect(plan.contains("USING COVERING INDEX audit_log_user_event"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }
}
