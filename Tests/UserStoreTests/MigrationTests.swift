import ClaveTime
import Foundation
import Testing
import TestSupport
@testable import UserStore

@Suite struct MigrationTests {
    @Test func freshFileGetsEveryMigrationRecorded() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        #expect(try database.read { tx in try tx.migrations.schemaVersion() } == 0)
        let applied = try database.migrate()
        #expect(applied == Schema.migrations.map(\.version))
        #expect(try database.read { tx in try tx.migrations.schemaVersion() } == Database.supportedSchemaVersion)
        let recorded = try database.read { c in try c.query("SELECT version FROM schema_migrations ORDER BY version") { try $0.int(0) } }
        #expect(recorded == Schema.migrations.map(\.version))
    }

    @Test func migrationsAreDatedByTheGivenClock() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_700_000_000))
        try database.migrate(clock: clock)
        let dates = try database.read { c in try c.query("SELECT applied_at FROM schema_migrations") { try $0.date(0) } }
        #expect(dates.count == Schema.migrations.count)
        #expect(dates.allSatisfy { $0 == clock.now() })
    }

    @Test func migratingTwiceChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        try database.migrate()
        let schema = { try database.read { c in try c.query("SELECT sql FROM sqlite_master ORDER BY name") { try $0.optionalString(0) } } }
        let before = try schema()
        #expect(try database.migrate().isEmpty)
        #expect(try schema() == before)
        // And from a second connection, as a restarted process would.
        let reopened = try Database(path: directory.path("m.sqlite"))
        #expect(try reopened.migrate().isEmpty)
        #expect(try reopened.read { c in try c.queryOne("SELECT COUNT(*) FROM schema_migrations") { try $0.int(0) } } == Schema.migrations.count)
    }

    @Test func migrationsApplyInOrderOneTransactionEach() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        let steps = [
            Migration(version: 1, name: "one", sql: "CREATE TABLE t (a INTEGER);"),
            Migration(version: 2, name: "two", sql: "ALTER TABLE t ADD COLUMN b TEXT;"),
            Migration(version: 3, name: "broken", sql: "CREATE TABLE u (x); INSERT INTO nowhere VALUES (1);"),
        ]
        #expect(throws: StoreError.self) { try database.migrate(steps) }
        // Steps 1 and 2 committed; step 3 rolled back entirely (table u absent).
        #expect(try database.read { tx in try tx.migrations.schemaVersion() } == 2)
        let tables = try database.read { c in try c.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { try $0.string(0) } }
        #expect(tables.contains("t") && !tables.contains("u"))
        let fixed = [steps[0], steps[1], Migration(version: 3, name: "fixed", sql: "CREATE TABLE u (x);")]
        #expect(try database.migrate(fixed) == [3])
    }

    @Test func aNewerFileIsRefusedWithAClearMessage() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        try database.migrate()
        let future = Database.supportedSchemaVersion + 5
        try database.write { c in try c.executeScript("PRAGMA user_version = \(future)") }
        let error = StoreError.newerSchema(found: future, supported: Database.supportedSchemaVersion)
        #expect(throws: error) { try database.migrate() }
        #expect(error.description.contains("newer"))
    }

    // Migration 9 drops the captchas table this test used to keep a row in (captchas are
    // stateless now); the rate-limit counters, also from step 3, carry the same point.
    @Test func anOlderFileUpgradesKeepingItsRows() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        // A file as the previous release left it: the first three steps only.
        try database.migrate(Array(Schema.migrations.prefix(3)))
        try database.write { c in
            try c.execute("INSERT INTO rate_limits (key, window_start, count) VALUES ('old', 0, 3)")
        }
        #expect(try database.migrate() == Array(Schema.migrations.dropFirst(3).map(\.version)))
        #expect(try database.read { c in try c.queryOne("SELECT count FROM rate_limits WHERE key = 'old'") { try $0.int(0) } } == 3)
    }

    @Test("migration 9 replaces the captcha rows (answers and PNGs) by spent ids only")
    func statelessCaptchas() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        try database.migrate(Schema.migrations.filter { $0.version < 9 })
        try database.write { c in
            try c.execute("INSERT INTO captchas (id, answer_hash, created_at, expires_at) VALUES ('old', 'h', 0, 10)")
        }
        #expect(try database.migrate(Schema.migrations.filter { $0.version <= 9 }) == [9])
        let tables = try database.read { c in try c.query("SELECT name FROM sqlite_master WHERE type = 'table'") { try $0.string(0) } }
        #expect(!tables.contains("captchas"))
        #expect(try database.write { tx in try tx.captchas.spend(id: "new", expiresAt: Date(timeIntervalSince1970: 99), now: Date()) })
    }

    @Test("migration 10 keeps the outbox rows a previous release claimed: they are claimed again when their lease ends")
    func outboxClaimTokens() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        try database.migrate(Schema.migrations.filter { $0.version < 10 })
        try database.write { c in
            try c.execute("""
                INSERT INTO outbox (portal, sender, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, created_at)
                VALUES ('secop', 's@x.co', 'r@x.co', 'asunto', 't', 'h', 'sending', 0, 300, 0)
                """)
        }
        #expect(try database.migrate() == Schema.migrations.map(\.version).filter { $0 >= 10 }, "10 and any later step")
        #expect(try database.write { tx in try tx.outbox.claimDue(now: Date(timeIntervalSince1970: 299), limit: 5, lease: 15) }.isEmpty)
        let claimed = try database.write { tx in
            try tx.outbox.claimDue(now: Date(timeIntervalSince1970: 300), limit: 5, lease: 15, token: "t1")
        }
        #expect(claimed.count == 1)
        #expect(try database.write { tx in try tx.outbox.renewLease(token: "t1", until: Date(timeIntervalSince1970: 330)) }
                == Set(claimed.map(\.id)))
        #expect(try database.write { tx in try tx.outbox.renewLease(token: "other", until: Date(timeIntervalSince1970: 330)) }.isEmpty)
    }

    @Test("a step numbered below the file's version is still applied when it was never recorded")
    func stepsLandingOutOfOrder() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path("m.sqlite"))
        // Branch B's step 9 shipped first; branch A's step 8 arrives in a later release.
        let nine = Migration(version: 9, name: "nine", sql: "CREATE TABLE nine (a INTEGER);")
        let eight = Migration(version: 8, name: "eight", sql: "CREATE TABLE eight (a INTEGER);")
        #expect(try database.migrate([nine]) == [9])
        #expect(try database.migrate([eight, nine]) == [8])
        #expect(try database.read { tx in try tx.migrations.schemaVersion() } == 9, "the version never goes down")
        #expect(try database.migrate([eight, nine]).isEmpty)
    }
}
