import ClaveLog
import Foundation
import Testing
@testable import UserStore

/// `Database.purge` and the `Housekeeping` loop that runs it while the server runs.
@Suite struct PurgeTests {
    static func sessionCount(_ database: Database) throws -> Int {
        try database.read { c in try c.queryOne("SELECT COUNT(*) FROM sessions") { try $0.int(0) } } ?? -1
    }

    @Test func purgeDeletesWhatNoLongerWorksAndKeepsTheRest() throws {
        let store = try StoreFixture()
        let now = StoreFixture.now
        try store.database.write { tx in try tx.sessions.create(idHash: "old", portal: "secop", userID: nil, csrfSecret: "s", now: now.addingTimeInterval(-7200)) }
        try store.database.write { tx in try tx.sessions.create(idHash: "live", portal: "secop", userID: nil, csrfSecret: "s", now: now) }
        _ = try store.database.write { tx in try tx.captchas.spend(id: "stale", expiresAt: now.addingTimeInterval(-2 * 86_400), now: now.addingTimeInterval(-3 * 86_400)) }
        _ = try store.database.write { tx in try tx.captchas.spend(id: "fresh", expiresAt: now.addingTimeInterval(300), now: now) }

        let counts = try store.database.purge(now: now)
        #expect(counts.sessions == 1)
        #expect(counts.captchas == 1)
        #expect(counts.total == 2)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "live", now: now) } != nil)
        #expect(try store.database.read { tx in try tx.captchas.isSpent(id: "fresh") }, "a live captcha stays spent")
        #expect(try store.database.purge(now: now).total == 0, "a second purge finds nothing")
    }

    @Test("the audit log is kept for its retention (default 180 days), then purged")
    func auditRetention() throws {
        let store = try StoreFixture()
        let now = StoreFixture.now
        for days in [200.0, 181, 179, 1] {
            try store.database.write { tx in
                try tx.auditLog.record(portal: "secop", userID: nil, event: "reset.requested", detail: "days=\(Int(days))",
                                       at: now.addingTimeInterval(-days * 86_400))
            }
        }
        #expect(PurgePolicy.default.auditRetention == 180 * 86_400)
        #expect(try store.database.purge(now: now).auditEntries == 2)
        let kept = try store.database.read { tx in try tx.auditLog.recent(limit: 10) }.map(\.detail)
        #expect(Set(kept) == ["days=179", "days=1"])
        #expect(try store.database.purge(now: now, policy: PurgePolicy(auditRetention: 30 * 86_400)).auditEntries == 1)
    }

    @Test func housekeepingPurgesOnStartAndKeepsPurgingUntilStopped() throws {
        let store = try StoreFixture()
        let longAgo = Date().addingTimeInterval(-7200)
        try store.database.write { tx in try tx.sessions.create(idHash: "expired-1", portal: "soi", userID: nil, csrfSecret: "s", now: longAgo) }
        let housekeeping = Housekeeping(database: store.database, interval: 0.05, logger: Logger(label: "test", level: .error))
        housekeeping.start()
        defer { housekeeping.stop() }
        #expect(try Self.waitUntil { try Self.sessionCount(store.database) == 0 }, "the first purge runs at start")

        try store.database.write { tx in try tx.sessions.create(idHash: "expired-2", portal: "soi", userID: nil, csrfSecret: "s", now: longAgo) }
        #expect(try Self.waitUntil { try Self.sessionCount(store.database) == 0 }, "and again after the interval")

        housekeeping.stop()
        Thread.sleep(forTimeInterval: 0.1)  // a purge already running may finish
        try store.database.write { tx in try tx.sessions.create(idHash: "expired-3", portal: "soi", userID: nil, csrfSecret: "s", now: longAgo) }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try Self.sessionCount(store.database) == 1, "nothing runs after stop()")
    }

    static func waitUntil(seconds: TimeInterval = 5, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }
}
