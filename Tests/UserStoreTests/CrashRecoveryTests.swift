import Foundation
import Testing
import TestSupport
@testable import UserStore

/// A process killed with SIGKILL in the middle of a write transaction must leave the file
/// consistent and its partial write absent: SQLite's WAL recovery, exercised for real (and on
/// PostgreSQL, the server rolling back the transaction of a client that vanished).
@Suite struct CrashRecoveryTests {
    @Test func sigkillMidTransactionLeavesNoTrace() throws {
        let store = try StoreFixture()
        let user = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "intacto", email: #require(EmailAddress("intacto@example.com"))),
                                                                        passwordHash: "h", now: StoreFixture.now) }

        let helper = PackagePaths.products.appendingPathComponent("store-crash-helper")
        try #require(FileManager.default.isExecutableFile(atPath: helper.path), "build the package first: \(helper.path)")
        let process = try ChildProcess(helper, [store.locationArgument, "crash-marker"])

        // Wait (at most 30 s) for "ready": the transaction is open and its rows written.
        let gotReady = process.waitForOutput(containing: "ready", timeout: 30) != nil
        process.kill()
        process.waitUntilExit()
        try #require(gotReady, "the helper never reported ready")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        // The partial write reached the disk: uncommitted frames sit in the WAL file, which a
        // fresh open must recover past.
        if TestStore.isSQLite {
            let walSize = (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
            #expect(walSize > 1_000_000, "the WAL holds the killed transaction's pages (\(walSize) bytes)")
        }
        let reopened = try store.database.reopened()
        #expect(try reopened.integrityCheck() == "ok")
        let markers = try reopened.read { c in
            try c.queryOne("SELECT COUNT(*) FROM audit_log WHERE event = 'crash-marker'") { try $0.int(0) }
        }
        #expect(markers == 0)
        #expect(try reopened.read { tx in try tx.users.find(id: user.id) }?.email == "intacto@example.com")
        // And the file still takes writes.
        try reopened.write { tx in try tx.auditLog.record(portal: "system", userID: nil, event: "after-crash", at: StoreFixture.now) }
        #expect(try reopened.read { tx in try tx.auditLog.recent(event: "after-crash") }.count == 1)
    }
}
