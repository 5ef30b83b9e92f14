import Foundation
import Testing
import TestSupport
@testable import PostgresClient

/// BEGIN travels with the transaction's first statement (one round trip fewer): the statement
/// still runs inside the transaction, with its isolation and timeout, and never outside it.
@Suite("PostgreSQL deferred BEGIN against a real PostgreSQL 15", .enabled(if: PostgresPeer.shouldRun))
struct DeferredBeginLiveTests {
    let live: PostgresLiveDatabase

    init() throws {
        live = try PostgresLiveDatabase("begin")
        try live.connect().simpleQuery("CREATE TABLE marks (id int PRIMARY KEY)")
    }

    @Test("the first statement runs inside the transaction, at its isolation level and timeout")
    func firstStatementIsInside() throws {
        let connection = try live.connect()
        connection.deferBegin(PostgresTransactionOptions(isolation: .serializable, readOnly: false, statementTimeout: 1.5).beginStatements())
        #expect(connection.transactionStatus == .idle, "nothing sent yet")
        let isolation = try connection.queryOne("SELECT current_setting('transaction_isolation'), current_setting('statement_timeout')")
        #expect(try isolation?.string(0) == "serializable")
        #expect(try isolation?.string(1) == "1500ms")
        #expect(connection.transactionStatus == .inTransaction)
        try connection.execute("INSERT INTO marks VALUES (1)")
        try connection.simpleQuery("ROLLBACK")
        #expect(try connection.queryOne("SELECT count(*) FROM marks")?.int64(0) == 0, "rolled back with the transaction")
    }

    @Test("a BEGIN that fails keeps the statement behind it from running at all")
    func failedBeginSkipsTheStatement() throws {
        let connection = try live.connect()
        try connection.execute("SELECT 1 FROM marks")   // prepared, so the BEGIN is pipelined in front of it
        connection.deferBegin(["BEGIN", "SET LOCAL no_such_setting_at_all = 1"])
        #expect(throws: PostgresError.self) { try connection.execute("INSERT INTO marks VALUES (2)") }
        #expect(connection.transactionStatus == .failed, "the BEGIN ran, the SET failed: the transaction is aborted")
        try connection.simpleQuery("ROLLBACK")
        #expect(try connection.queryOne("SELECT count(*) FROM marks WHERE id = 2")?.int64(0) == 0, "skipped to the Sync")
        #expect(!connection.isClosed)
    }

    @Test("a transaction that runs nothing costs nothing: COMMIT only forgets the BEGIN")
    func emptyTransaction() throws {
        let connection = try live.connect()
        connection.deferBegin(PostgresTransactionOptions.write.beginStatements())
        #expect(try connection.simpleQuery("COMMIT").isEmpty)
        #expect(!connection.hasDeferredBegin)
        #expect(connection.transactionStatus == .idle)
    }

    @Test("a body that catches a statement's error gets the error, not a COMMIT that kept nothing")
    func caughtErrorIsNotASilentCommit() throws {
        let pool = try PostgresPool(configuration: live.configuration(), limits: PostgresPoolLimits(maximumAttempts: 1))
        #expect(throws: PostgresError.self) {
            try pool.transaction(.write) { connection in
                try connection.execute("INSERT INTO marks VALUES (20)")
                _ = try? connection.execute("INSERT INTO marks VALUES (20)")   // a duplicate, caught
                try? connection.execute("INSERT INTO marks VALUES (21)")       // refused: the transaction is aborted
            }
        }
        let count = try pool.transaction(.read) { connection in
            try connection.queryOne("SELECT count(*) FROM marks WHERE id IN (20, 21)")?.int64(0)
        }
        #expect(count == 0, "nothing committed, and the caller was told")
        try pool.transaction(.write) { connection in try connection.execute("INSERT INTO marks VALUES (22)") }
    }

    @Test("the pool's transactions: a statement before any Parse, a script, and a commit")
    func poolTransactionsStillCommit() throws {
        let pool = try PostgresPool(configuration: live.configuration())
        try pool.transaction(.write) { connection in
            try connection.execute("INSERT INTO marks VALUES (10)")           // first use: prepared after BEGIN
            try connection.simpleQuery("INSERT INTO marks VALUES (11)")
        }
        try pool.transaction(.write) { connection in try connection.execute("INSERT INTO marks VALUES (12)") }
        let count = try pool.transaction(.read) { connection in
            try connection.queryOne("SELECT count(*) FROM marks WHERE id >= 10")?.int64(0)
        }
        #expect(count == 3)
    }
}
