import ClaveLog
import Foundation
import Testing
import TestSupport
@testable import PostgresClient

@Suite("PostgreSQL pool and transactions against a real PostgreSQL 15", .enabled(if: PostgresPeer.shouldRun))
struct PostgresPoolLiveTests {
    let live: PostgresLiveDatabase

    init() throws {
        live = try PostgresLiveDatabase("pool")
        let setup = try live.connect()
        try setup.simpleQuery("""
            CREATE TABLE counters (id int PRIMARY KEY, value bigint NOT NULL);
            INSERT INTO counters VALUES (1, 0), (2, 0);
            """)
    }

    @Test("a serialization failure runs the transaction again, and the second run commits")
    func serializationRetry() throws {
        let pool = try PostgresPool(configuration: live.configuration())
        let intruder = try live.connect()
        let attempts = Locked(0)
        try pool.transaction(.write) { connection in
            let attempt = attempts.withLock { $0 += 1; return $0 }
            let value = try connection.queryOne("SELECT value FROM counters WHERE id = 1")!.int64(0)
            if attempt == 1 {
                // Another session changes the row this snapshot read: the update below must fail.
                try intruder.execute("UPDATE counters SET value = value + 100 WHERE id = 1")
            }
            try connection.execute("UPDATE counters SET value = $1 WHERE id = 1", [.int64(value + 1)])
        }
        #expect(attempts.withLock { $0 } == 2)
        #expect(try intruder.queryOne("SELECT value FROM counters WHERE id = 1")?.int64(0) == 101)
    }

    @Test("without retries left, the serialization failure reaches the caller typed")
    func serializationFailureTyped() throws {
        let pool = try PostgresPool(configuration: live.configuration(), limits: PostgresPoolLimits(maximumAttempts: 1))
        let intruder = try live.connect()
        do {
            try pool.transaction(.write) { connection in
                _ = try connection.query("SELECT value FROM counters WHERE id = 2")
                try intruder.execute("UPDATE counters SET value = value + 1 WHERE id = 2")
                try connection.execute("UPDATE counters SET value = value + 1 WHERE id = 2")
            }
            Issue.record("committed")
        } catch let error as PostgresError {
            #expect(error.sqlState == .serializationFailure)
            #expect(error.isTransactionRetryable)
        }
        #expect(pool.openConnections == 1)
    }

    @Test("a deadlock is detected and reported as 40P01 to one of the two sessions")
    func deadlock() throws {
        let first = try live.connect(), second = try live.connect()
        try first.simpleQuery("BEGIN")
        try second.simpleQuery("BEGIN")
        try first.execute("UPDATE counters SET value = value WHERE id = 1")
        try second.execute("UPDATE counters SET value = value WHERE id = 2")
        let outcome = Locked<PostgresError?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try first.execute("UPDATE counters SET value = value WHERE id = 2") } catch { outcome.withLock { $0 = $0 ?? (error as? PostgresError) } }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.2)
        do { try second.execute("UPDATE counters SET value = value WHERE id = 1") } catch { outcome.withLock { $0 = $0 ?? error } }
        #expect(done.wait(timeout: .now() + 20) == .success)
        let error = outcome.withLock { $0 }
        #expect(error?.sqlState == .deadlockDetected)
        #expect(error?.isTransactionRetryable == true)
        _ = try? first.simpleQuery("ROLLBACK")
        _ = try? second.simpleQuery("ROLLBACK")
    }

    /// A five-second sleep in a transaction whose timeout is `timeout` ends in 57014 well before.
    func expectSleepCancelled(_ pool: PostgresPool, after timeout: TimeInterval,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let started = Date()
        do {
            try pool.transaction(PostgresTransactionOptions(statementTimeout: timeout)) { connection in
                _ = try connection.query("SELECT pg_sleep(5)")
            }
            Issue.record("the sleep finished", sourceLocation: sourceLocation)
        } catch let error as PostgresError {
            #expect(error.sqlState == .queryCanceled, sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
        #expect(Date().timeIntervalSince(started) < 3, sourceLocation: sourceLocation)
    }

    @Test("the transaction's statement timeout cancels a long statement (57014) and ends with it")
    func statementTimeout() throws {
        let pool = try PostgresPool(configuration: live.configuration())
        expectSleepCancelled(pool, after: 0.2)
        let setting = try pool.withConnection { try $0.queryOne("SHOW statement_timeout")?.string(0) }
        #expect(setting == "0")
    }

    @Test("a session statement timeout from the startup message: the same per transaction sends no SET LOCAL and still cancels")
    func sessionStatementTimeout() throws {
        var configuration = live.configuration()
        configuration.statementTimeout = 0.2
        let pool = try PostgresPool(configuration: configuration)
        #expect(PostgresTransactionOptions(statementTimeout: 0.2).beginStatements(session: 0.2).count == 1)
        #expect(PostgresTransactionOptions(statementTimeout: 1.5).beginStatements(session: 0.2).last == "SET LOCAL statement_timeout = 1500")
        expectSleepCancelled(pool, after: 0.2)
        // Another timeout holds for its transaction alone; the session's stays.
        let inside = try pool.transaction(PostgresTransactionOptions(statementTimeout: 1.5)) { connection in
            try connection.queryOne("SHOW statement_timeout")?.string(0)
        }
        #expect(inside == "1500ms")
        #expect(try pool.withConnection { try $0.queryOne("SHOW statement_timeout")?.string(0) } == "200ms")
    }

    @Test("the pool is bounded: a caller waits, then gets a clear timeout")
    func bounded() throws {
        let pool = try PostgresPool(configuration: live.configuration(),
                                    limits: PostgresPoolLimits(maximumConnections: 2, checkoutTimeout: 0.3))
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread {
                _ = try? pool.withConnection { _ in
                    holding.signal()
                    release.wait()
                }
                finished.signal()
            }.start()
        }
        holding.wait()
        holding.wait()
        #expect(pool.openConnections == 2)
        #expect(throws: PostgresError.poolTimeout(waited: 0.3)) { try pool.withConnection { _ in } }
        release.signal()
        release.signal()
        finished.wait()
        finished.wait()
        #expect(try pool.withConnection { try $0.queryOne("SELECT 1")?.int64(0) } == 1)
        #expect(pool.openConnections == 2)
    }

    @Test("a session the server terminates is lost for its owner and replaced by the pool")
    func terminatedSession() throws {
        let pool = try PostgresPool(configuration: live.configuration(), limits: PostgresPoolLimits(maximumConnections: 1))
        let admin = try live.connect()
        let victim = try pool.withConnection { $0.processID }
        #expect(try admin.queryOne("SELECT pg_terminate_backend($1::int)", [.int64(Int64(victim))])?.bool(0) == true)
        Thread.sleep(forTimeInterval: 0.2)
        let replacement = try pool.withConnection { $0.processID }
        #expect(replacement != victim)
        let bare = try live.connect()
        _ = try admin.query("SELECT pg_terminate_backend($1::int)", [.int64(Int64(bare.processID))])
        Thread.sleep(forTimeInterval: 0.2)
        do {
            _ = try bare.query("SELECT 1")
            Issue.record("a terminated session answered")
        } catch {
            #expect(error.isConnectionLost, "\(error)")
        }
    }

    @Test("a connection left inside a transaction is not given out again")
    func leftInTransaction() throws {
        let pool = try PostgresPool(configuration: live.configuration(), limits: PostgresPoolLimits(maximumConnections: 1))
        let firstPID = try pool.withConnection { connection in
            try connection.simpleQuery("BEGIN")
            return connection.processID
        }
        let secondPID = try pool.withConnection { connection in
            #expect(connection.transactionStatus == .idle)
            return connection.processID
        }
        #expect(firstPID != secondPID)
    }
}

@Suite("PostgreSQL pool across a server restart", .enabled(if: PostgresPeer.shouldRun))
struct PostgresRestartLiveTests {
    @Test("after a restart the pool drops the dead connections and reconnects; a bare connection reports it lost")
    func restart() throws {
        let peer = try PostgresPeer()
        let live = try PostgresLiveDatabase("restart", peer: peer)
        let pool = try PostgresPool(configuration: live.configuration())
        let before = try pool.transaction(.read) { try $0.queryOne("SELECT pg_backend_pid()")!.int64(0) }
        let bare = try live.connect()
        let listener = try live.connect()
        try listener.listen("wake")
        try peer.restart()
        do {
            _ = try bare.query("SELECT 1")
            Issue.record("a query on a connection from before the restart succeeded")
        } catch {
            #expect(error.isConnectionLost, "\(error)")
        }
        #expect(bare.isClosed)
        #expect(throws: PostgresError.self) { try listener.waitForNotifications(timeout: 1) }
        let after = try pool.transaction(.read) { try $0.queryOne("SELECT pg_backend_pid()")!.int64(0) }
        #expect(after != before)
        #expect(pool.openConnections == 1)
    }

    @Test("a server that is down is a connection failure, and the pool recovers once it is back")
    func downThenUp() throws {
        let peer = try PostgresPeer()
        let live = try PostgresLiveDatabase("down", peer: peer)
        let pool = try PostgresPool(configuration: live.configuration())
        _ = try pool.withConnection { try $0.query("SELECT 1") }
        peer.stopKeepingData()
        do {
            _ = try pool.withConnection { try $0.query("SELECT 1") }
            Issue.record("a query with the server down succeeded")
        } catch let error as PostgresError {
            #expect(error.isConnectionLost, "\(error)")
        }
        try peer.start()
        #expect(try pool.withConnection { try $0.queryOne("SELECT 1")?.int64(0) } == 1)
    }
}

@Suite("PostgreSQL listener across a server restart", .enabled(if: PostgresPeer.shouldRun))
struct PostgresListenerLiveTests {
    @Test("the listener hears NOTIFY, reconnects after a restart, says so, and hears the next one")
    func listenerSurvivesRestart() throws {
        let peer = try PostgresPeer()
        let live = try PostgresLiveDatabase("listener", peer: peer)
        let events = Locked<[PostgresListener.Event]>([])
        let logger = Logger(label: "postgres", level: .off)
        let listener = PostgresListener(configuration: live.configuration(logger: logger), channels: ["outbox"],
                                        retryDelay: 0.1) { event in events.withLock { $0.append(event) } }
        listener.start()
        defer { listener.stop() }
        func wait(for count: Int) -> [PostgresListener.Event] {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let seen = events.withLock { $0 }
                if seen.count >= count { return seen }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return events.withLock { $0 }
        }
        #expect(wait(for: 1) == [.listening])
        let sender = try live.connect()
        try sender.notify("outbox", payload: "1")
        #expect(wait(for: 2).last == .notification(PostgresNotification(processID: sender.processID, channel: "outbox", payload: "1")))
        try peer.restart()
        #expect(wait(for: 3).last == .listening)
        let again = try live.connect()
        try again.notify("outbox", payload: "2")
        #expect(wait(for: 4).last == .notification(PostgresNotification(processID: again.processID, channel: "outbox", payload: "2")))
    }
}
