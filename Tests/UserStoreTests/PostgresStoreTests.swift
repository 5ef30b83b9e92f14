import ClaveLog
import Foundation
import Testing
import TestSupport
@_spi(RawSQL) @testable import UserStore

/// What only PostgreSQL has to prove, with real servers: several nodes migrating at once, claiming
/// from one outbox, waking each other, and a server that goes away and comes back.
@Suite(.enabled(if: PostgresPeer.shouldRun), .serialized) struct PostgresStoreTests {
    let now = StoreFixture.now

    static func freshDatabase() throws -> Database {
        try Database(location: DatabaseLocation(try TestStore.postgresURL(prefix: "pgstore")))
    }

    static func message(_ n: Int) -> NewOutboxMessage {
        NewOutboxMessage(portal: "secop", sender: "no-responder@clave.test", recipient: "u\(n)@example.co",
                         subject: "Asunto \(n)", textBody: "texto", htmlBody: "<p>html</p>")
    }

    @Test func nodesStartingAtOnceMigrateExactlyOnce() throws {
        let url = try TestStore.postgresURL(prefix: "pgmigrate")
        let nodes = try (0..<4).map { _ in try Database(location: DatabaseLocation(url)) }
        let applied = ClaimLog()
        let failures = WinCounter()
        onThreads(nodes.count) { i in
            do {
                applied.add(try nodes[i].migrate().map(Int64.init))
            } catch {
                failures.add(i)
            }
        }
        #expect(failures.counts.isEmpty, "no node failed to migrate")
        #expect(applied.ids.sorted() == Schema.migrations.map { Int64($0.version) }, "each step applied by one node only")
        let recorded = try nodes[0].read { tx in try tx.connection.query("SELECT version FROM schema_migrations ORDER BY version") { try $0.int(0) } }
        #expect(recorded == Schema.migrations.map(\.version))
        #expect(try nodes[1].read { tx in try tx.migrations.schemaVersion() } == Database.supportedSchemaVersion)
        #expect(try nodes[2].migrate().isEmpty, "a later start applies nothing")
    }

    @Test func threeNodesClaimingOneOutboxNeverShareARow() throws {
        let first = try Self.freshDatabase()
        try first.migrate()
        let nodes = [first, try first.reopened(), try first.reopened()]
        for n in 0..<120 { _ = try first.write { tx in try tx.outbox.enqueue(Self.message(n), now: now) } }
        let claimed = ClaimLog()
        onThreads(6) { worker in
            while let batch = try? nodes[worker % 3].writeLockingRows({ tx in
                try tx.outbox.claimDue(now: StoreFixture.now, limit: 4, lease: 300)
            }), !batch.isEmpty {
                claimed.add(batch.map(\.id))
            }
        }
        #expect(claimed.ids.count == 120, "every row claimed")
        #expect(Set(claimed.ids).count == 120, "no row claimed twice")
    }

    @Test func anEnqueueOnOneNodeWakesTheListenerOfAnother() throws {
        let first = try Self.freshDatabase()
        try first.migrate()
        let other = try first.reopened()
        let woken = DispatchSemaphore(value: 0)
        let listening = DispatchSemaphore(value: 0)
        let counter = WinCounter()
        let listener = try #require(OutboxNotifications.listen(other) {
            counter.add(0)
            if counter.counts[0] == 1 { listening.signal() } else { woken.signal() }
        })
        defer { listener.stop() }
        #expect(listening.wait(timeout: .now() + 10) == .success, "the listener connects and looks for work once")
        let notifier = try #require(OutboxNotifier(database: first))
        defer { notifier.flush() }
        _ = try first.write { tx in try tx.outbox.enqueue(Self.message(1), now: now) }
        notifier.notify()
        #expect(woken.wait(timeout: .now() + 5) == .success, "the first node's notification after its commit woke the second")
        // A burst is one notification or a few, never one per request waiting on the others.
        for _ in 0..<50 { notifier.notify() }
        #expect(woken.wait(timeout: .now() + 5) == .success)
    }

    @Test func sqliteHasNoOneToNotify() throws {
        let directory = try TemporaryDirectory()
        #expect(OutboxNotifier(database: try Database(path: directory.path("n.sqlite"))) == nil)
    }

    @Test func aRestartedServerGivesTemporaryErrorsThenServesAgain() throws {
        let peer = try PostgresPeer()
        defer { peer.stop() }
        let url = peer.url(database: try peer.createDatabase("outage"))
        var limits = PostgresStoreLimits()
        limits.pool.checkoutTimeout = 2
        let database = try Database(location: DatabaseLocation(url), postgres: limits)
        try database.migrate()
        _ = try database.write { tx in try tx.outbox.enqueue(Self.message(1), now: now) }

        peer.stopKeepingData()
        let started = Date()
        #expect {
            try database.read { tx in try tx.outbox.list(states: nil, limit: 5) }
        } throws: { error in
            (error as? StoreError)?.isTemporary == true
        }
        #expect(Date().timeIntervalSince(started) < 15, "an outage answers within the timeouts, never hangs")

        try peer.start()
        let rows = try database.read { tx in try tx.outbox.list(states: nil, limit: 5) }
        #expect(rows.count == 1, "the same Database serves again once the server is back: nothing lost")
    }

    @Test func aBadURLIsACleanErrorNotAFallback() {
        #expect(throws: StoreError.self) { try DatabaseLocation("postgres://clave@db/clave?sslmode=prefer") }
        #expect(throws: StoreError.self) { try DatabaseLocation("postgres://clave@db/clave?sslmod=disable") }
        #expect(throws: StoreError.self) { try DatabaseLocation("postgresql://db/clave") }
        #expect((try? DatabaseLocation("var/clave.sqlite"))?.isPostgres == false)
        let location = try? DatabaseLocation("postgres://clave:s3cret@db:5433/clave?sslmode=verify-full")
        #expect(location?.description.contains("s3cret") == false, "the shown form holds no password")
    }
}
