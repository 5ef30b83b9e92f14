import Foundation
import Testing
import TestSupport
@testable import PostgresClient

/// Statements whose outcome nobody reads travel with the next statement or the COMMIT: they
/// run in order and inside the transaction, their errors are the transaction's, and a
/// transaction of such writes costs one round trip.
@Suite("PostgreSQL deferred statements against a real PostgreSQL 15", .enabled(if: PostgresPeer.shouldRun))
struct DeferredStatementLiveTests {
    let live: PostgresLiveDatabase

    init() throws {
        live = try PostgresLiveDatabase("deferred")
        try live.connect().simpleQuery("CREATE TABLE marks (id int PRIMARY KEY, note text)")
    }

    func count(_ pool: PostgresPool, _ condition: String = "true") throws -> Int64? {
        try pool.transaction(.read) { connection in
            try connection.queryOne("SELECT count(*) FROM marks WHERE \(condition)")?.int64(0)
        }
    }

    @Test("deferred statements run before the next one, in order, and it sees what they did")
    func theNextStatementSeesThem() throws {
        let connection = try live.connect()
        // Prepared first (a statement's first use on a connection costs its Parse once).
        try connection.simpleQuery("BEGIN")
        try connection.execute("INSERT INTO marks VALUES ($1, $2)", [.int64(1), .text("warm")])
        try connection.execute("UPDATE marks SET note = $1 WHERE id = $2", [.text("warm"), .int64(1)])
        try connection.execute("SELECT note FROM marks WHERE id = $1", [.int64(1)])
        try connection.simpleQuery("ROLLBACK")

        connection.deferBegin(PostgresTransactionOptions.write.beginStatements())
        try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(1), .text("first")])
        try connection.executeDeferred("UPDATE marks SET note = $1 WHERE id = $2", [.text("second"), .int64(1)])
        #expect(connection.transactionStatus == .idle, "nothing sent yet")
        #expect(connection.deferredStatementCount == 2)
        let before = connection.batchesSent
        let note = try connection.queryOne("SELECT note FROM marks WHERE id = $1", [.int64(1)])
        #expect(connection.batchesSent == before + 1, "BEGIN, both statements and the query in one batch")
        #expect(try note?.string(0) == "second")
        #expect(connection.transactionStatus == .inTransaction)
        #expect(connection.deferredStatementCount == 0)
        try connection.simpleQuery("ROLLBACK")
        #expect(try connection.queryOne("SELECT count(*) FROM marks")?.int64(0) == 0, "inside the transaction")
    }

    @Test("a transaction of deferred writes commits in one round trip")
    func oneRoundTrip() throws {
        let pool = try PostgresPool(configuration: live.configuration())
        // Prepared on this connection first: a statement's first use costs its Parse once.
        try pool.transaction(.write) { connection in
            try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(100), .text("warm")])
            try connection.executeDeferred("UPDATE marks SET note = $1 WHERE id = $2", [.text("warm"), .int64(100)])
        }
        let (used, before) = try pool.transaction(.write) { connection in
            let before = connection.batchesSent
            try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(101), .text("a")])
            try connection.executeDeferred("UPDATE marks SET note = $1 WHERE id = $2", [.text("b"), .int64(101)])
            return (connection, before)
        }
        #expect(used.batchesSent == before + 1, "BEGIN, two statements and COMMIT: one batch")
        #expect(try count(pool, "id = 101 AND note = 'b'") == 1)
    }

    @Test("a deferred statement's error is thrown by the next statement, which never runs")
    func theNextStatementThrowsItsError() throws {
        let connection = try live.connect()
        try connection.execute("INSERT INTO marks VALUES (5, 'kept')")
        connection.deferBegin(PostgresTransactionOptions.write.beginStatements())
        try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(5), .text("duplicate")])
        #expect {
            try connection.execute("INSERT INTO marks VALUES (6, 'behind')")
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
        #expect(connection.transactionStatus == .failed)
        try connection.simpleQuery("ROLLBACK")
        #expect(try connection.queryOne("SELECT count(*) FROM marks WHERE id = 6")?.int64(0) == 0, "skipped to the Sync")
        #expect(!connection.isClosed)
    }

    @Test("a deferred statement that fails at COMMIT fails the transaction: nothing of it is kept")
    func aFailureAtCommitKeepsNothing() throws {
        let pool = try PostgresPool(configuration: live.configuration(), limits: PostgresPoolLimits(maximumAttempts: 1))
        try pool.transaction(.write) { connection in try connection.execute("INSERT INTO marks VALUES (30, 'kept')") }
        #expect {
            try pool.transaction(.write) { connection in
                try connection.execute("INSERT INTO marks VALUES (31, 'sent at once')")
                try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(32), .text("deferred")])
                try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(30), .text("clash")])
            }
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
        #expect(try count(pool, "id IN (31, 32)") == 0)
        #expect(try count(pool, "id = 30 AND note = 'kept'") == 1)
        try pool.transaction(.write) { connection in
            try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(33), .text("after")])
        }
        #expect(try count(pool, "id = 33") == 1, "the connection is usable again")
    }

    @Test("a body that throws sends none of its deferred statements")
    func aThrowingBodySendsNothing() throws {
        let pool = try PostgresPool(configuration: live.configuration())
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try pool.transaction(.write) { connection in
                try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(40), .text("never")])
                throw Refused()
            }
        }
        #expect(try count(pool, "id = 40") == 0)
        // Thrown after a statement went out: the server rolls back what it saw.
        #expect(throws: Refused.self) {
            try pool.transaction(.write) { connection in
                try connection.execute("INSERT INTO marks VALUES (41, 'sent')")
                try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(42), .text("never")])
                throw Refused()
            }
        }
        #expect(try count(pool, "id IN (41, 42)") == 0)
    }

    @Test("deferred statements before a script or a first-time statement are sent first, in order")
    func aScriptOrAPrepareFlushesThem() throws {
        let connection = try live.connect()
        connection.deferBegin(PostgresTransactionOptions.write.beginStatements())
        try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2)", [.int64(50), .text("one")])
        try connection.simpleQuery("UPDATE marks SET note = 'two' WHERE id = 50")
        try connection.executeDeferred("UPDATE marks SET note = note || $1 WHERE id = $2", [.text("+three"), .int64(50)])
        // Never prepared on this connection: its Parse goes after the deferred update has run.
        let note = try connection.queryOne("SELECT note || '' FROM marks WHERE id = $1", [.int64(50)])
        #expect(try note?.string(0) == "two+three")
        try connection.simpleQuery("COMMIT")
        #expect(try connection.queryOne("SELECT note FROM marks WHERE id = 50")?.string(0) == "two+three")
    }

    @Test("rows a deferred statement returns are not the next statement's rows")
    func returnedRowsStayTheirs() throws {
        let connection = try live.connect()
        connection.deferBegin(PostgresTransactionOptions.write.beginStatements())
        try connection.executeDeferred("INSERT INTO marks VALUES ($1, $2), ($3, $4) RETURNING id, note",
                                       [.int64(60), .text("a"), .int64(61), .text("b")])
        let rows = try connection.query("SELECT count(*) FROM marks WHERE id >= $1", [.int64(60)])
        #expect(rows.rows.count == 1)
        #expect(try rows.rows.first?.int64(0) == 2)
        #expect(rows.commandTag == "SELECT 1")
        try connection.simpleQuery("COMMIT")
    }
}
