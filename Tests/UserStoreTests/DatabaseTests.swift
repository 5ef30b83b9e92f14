import CSQLite
import Foundation
import Testing
import TestSupport
@testable import UserStore

@Suite struct DatabaseTests {
    @Test(.enabled(if: TestStore.isSQLite)) func opensInWALWithForeignKeysAndNormalSync() throws {
        let store = try StoreFixture()
        let pragmas = try store.database.write { c in
            (try c.queryOne("PRAGMA journal_mode") { try $0.string(0) },
             try c.queryOne("PRAGMA foreign_keys") { try $0.int(0) },
             try c.queryOne("PRAGMA synchronous") { try $0.int(0) })
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 1)
        #expect(pragmas.2 == 1, "1 is NORMAL")
        let readerForeignKeys = try store.database.read { c in try c.queryOne("PRAGMA foreign_keys") { try $0.int(0) } }
        #expect(readerForeignKeys == 1)
    }

    @Test(.enabled(if: TestStore.isSQLite)) func syncsEveryCommitWhenAskedOnEveryConnection() throws {
        let directory = try TemporaryDirectory(prefix: "clave-sync")
        let database = try Database(path: directory.path("full.sqlite"), configuration: DatabaseConfiguration(syncsEveryCommit: true))
        let writer = try database.write { c in try c.queryOne("PRAGMA synchronous") { try $0.int(0) } }
        let reader = try database.read { c in try c.queryOne("PRAGMA synchronous") { try $0.int(0) } }
        #expect(writer == 2 && reader == 2, "2 is FULL")
    }

    @Test func writeRollsBackWhenTheBodyThrows() throws {
        struct Boom: Error {}
        let store = try StoreFixture()
        #expect(throws: Boom.self) {
            try store.database.write { c in
                try c.execute("INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, ?3)", ["k", 1.0, 1])
                throw Boom()
            }
        }
        let count = try store.database.read { c in try c.queryOne("SELECT COUNT(*) FROM rate_limits") { try $0.int(0) } }
        #expect(count == 0)
        // The writer is usable afterwards: the transaction was closed.
        try store.database.write { c in
            try c.execute("INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, ?3)", ["k", 1.0, 1])
        }
        #expect(try store.database.read { c in try c.queryOne("SELECT COUNT(*) FROM rate_limits") { try $0.int(0) } } == 1)
    }

    /// Nesting used to be a run-time error (`StoreError.nestedWrite`); now it cannot be written.
    /// `tx.write { }`, `tx.users.database` and `database.read { try $0.users.lock(...) }` do not
    /// compile: a transaction and its repositories hold only the connection, and writing methods
    /// exist only on `Transaction<WriteAccess>`'s repositories. This test checks the half of that
    /// a test can see: nothing reachable from `tx` holds a `Database` to open another transaction.
    @Test func nestingIsATypeErrorNotARuntimeCheck() throws {
        let store = try StoreFixture()
        func fields(_ value: Any) -> [String] { Mirror(reflecting: value).children.map { "\(type(of: $0.value))" } }
        let connection = TestStore.isSQLite ? "SQLiteConnection" : "PostgresStoreConnection"
        try store.database.write { tx in
            #expect(fields(tx) == [connection])
            let repositories: [Any] = [tx.users, tx.sessions, tx.resetTokens, tx.captchas, tx.outbox, tx.auditLog,
                                       tx.mailbox, tx.rateLimits, tx.migrations]
            for repository in repositories {
                #expect(fields(repository) == ["Transaction<WriteAccess>"], "\(type(of: repository))")
            }
        }
        try store.database.read { tx in
            #expect(fields(tx) == [connection])
            #expect(fields(tx.users) == ["Transaction<ReadAccess>"])
        }
    }

    @Test func uniqueViolationIsATypedDuplicate() throws {
        let store = try StoreFixture()
        let insert = "INSERT INTO aportantes (document_type, document_number, name, created_at) VALUES (?1, ?2, ?3, ?4)"
        try store.database.write { c in try c.execute(insert, ["NIT", "900123456", "A", 0.0]) }
        do {
            try store.database.write { c in try c.execute(insert, ["NIT", "900123456", "B", 0.0]) }
            Issue.record("expected a constraint error")
        } catch let error as StoreError {
            #expect(error.isDuplicate)
            guard case .constraint(.unique, _) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func foreignKeyViolationIsTyped() throws {
        let store = try StoreFixture()
        do {
            try store.database.write { c in
                try c.execute("INSERT INTO reset_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES (99, 'p', 'h', 0, 1)")
            }
            Issue.record("expected a constraint error")
        } catch let error as StoreError {
            guard case .constraint(.foreignKey, _) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func wrongParameterCountIsAnErrorNotACrash() throws {
        let store = try StoreFixture()
        #expect(throws: StoreError.self) {
            try store.database.write { c in try c.execute("SELECT ?1, ?2", [1]) }
        }
    }

    @Test func valuesRoundTripThroughEveryStorageClass() throws {
        let store = try StoreFixture()
        let row = try store.database.write { c in
            try c.queryOne("SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7", [
                Int64.max, 3.25, "ñandú \u{1F600}", [UInt8]([0, 1, 255]), SQLValue.null, true, Date(timeIntervalSince1970: 1_790_000_000.5),
            ]) { $0 }
        }
        let r = try #require(row)
        #expect(try r.int64(0) == Int64.max)
        #expect(try r.double(1) == 3.25)
        #expect(try r.string(2) == "ñandú \u{1F600}")
        #expect(r.values[3] == .blob([0, 1, 255]))
        #expect(try r.isNull(4) && r.optionalString(4) == nil)
        #expect(try r.bool(5))
        #expect(try r.date(6) == Date(timeIntervalSince1970: 1_790_000_000.5))
        #expect(throws: StoreError.self) { try r.string(0) }
        #expect(throws: StoreError.self) { try r.int64(9) }
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("junk.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try Database(path: path) }
    }

    @Test func inMemoryDatabasesAreRefused() {
        for path in ["", ":memory:", "file::memory:?cache=shared"] {
            #expect(throws: StoreError.self) { try Database(path: path) }
        }
    }

    @Test func aMissingFolderCannotBeOpened() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: StoreError.self) { try Database(path: directory.path("no/such/folder/x.sqlite")) }
    }

    @Test func readersRunWhileTheWriterHoldsATransaction() throws {
        let store = try StoreFixture()
        try store.database.write { c in
            try c.execute("INSERT INTO rate_limits (key, window_start, count) VALUES ('a', 0, 1)")
        }
        let seen = try store.database.write { c -> Int? in
            try c.execute("INSERT INTO rate_limits (key, window_start, count) VALUES ('b', 0, 1)")
            // Another thread reads while this write is open: WAL gives it the committed snapshot.
            let count = Box()
            let done = DispatchSemaphore(value: 0)
            Thread {
                count.value = try? store.database.read { r in try r.queryOne("SELECT COUNT(*) FROM rate_limits") { try $0.int(0) } } ?? nil
                done.signal()
            }.start()
            done.wait()
            return count.value
        }
        #expect(seen == 1)
    }

    @Test(.enabled(if: TestStore.isSQLite)) func busyFromAnotherConnectionIsTypedAfterTheTimeout() throws {
        let store = try StoreFixture()
        // A second Database on the same file stands in for another process (the CLI).
        let other = try Database(path: store.path, configuration: .init(busyTimeoutMilliseconds: 50))
        try store.database.write { _ in
            do {
                try other.write { c in try c.execute("DELETE FROM rate_limits") }
                Issue.record("expected busy")
            } catch let error as StoreError {
                guard case .busy = error else { Issue.record("got \(error)"); return }
            }
        }
    }
}

@Suite struct DatabasePoolTests {
    @Test func statementCacheEvictsWithoutBreakingQueries() throws {
        let store = try StoreFixture(configuration: .init(maximumReaders: 1, statementCacheCapacity: 2))
        // Five distinct statements through a cache of two, twice over, nested inside a query.
        let values = try store.database.write { c in
            try c.query("SELECT 1 UNION ALL SELECT 2") { row -> [Int] in
                let base = try row.int(0)
                return try (1...5).map { n in try c.queryOne("SELECT ?1 + \(n)", [base]) { try $0.int(0) } ?? -1 }
            }
        }
        #expect(values == [[2, 3, 4, 5, 6], [3, 4, 5, 6, 7]])
    }

    @Test func manyThreadsReadThroughASmallPool() throws {
        let store = try StoreFixture(configuration: .init(maximumReaders: 2))
        let message = NewOutboxMessage(portal: "system", sender: "s", recipient: "r@example.com", subject: "s", textBody: "t", htmlBody: "h")
        let id = try store.database.write { tx in try tx.outbox.enqueue(message, now: StoreFixture.now) }
        let found = WinCounter()
        onThreads(64) { n in
            if n % 8 == 0 { _ = try? store.database.write({ tx in try tx.outbox.enqueue(message, now: StoreFixture.now) }) }
            if (try? store.database.read({ tx in try tx.outbox.find(id: id) }))?.recipient == "r@example.com" { found.add(0) }
        }
        #expect(found.counts[0] == 64)
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 100) }.count == 9)
    }
}
