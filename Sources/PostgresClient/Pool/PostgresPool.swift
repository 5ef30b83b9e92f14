import ClaveCrypto
import ClaveLog
import Foundation
import Synchronization

/// A bounded pool of ``PostgresConnection``s for worker threads, with transactions that run
/// again on serialization failures and deadlocks.
///
/// Blocking by design: the HTTP server's worker threads call the store, and a worker holds one
/// connection at most for the length of one unit of work. A checkout waits (at most
/// ``PostgresPoolLimits/checkoutTimeout``) when every connection is in use.
///
/// Health: a connection coming back closed (lost, FATAL, protocol error) or inside a
/// transaction is dropped; an idle one is checked without a round trip before reuse
/// (``PostgresConnection/isHealthy()``), which is how the pool notices a server restart
/// and opens fresh connections instead of failing the next query.
///
/// ```swift
/// let pool = try PostgresPool(configuration: PostgresConfiguration(url: url))
/// let id = try pool.transaction(.write) { connection in
///     try connection.queryOne("INSERT INTO outbox (body) VALUES ($1) RETURNING id", [.text(body)])!.int64(0)
/// }
/// ```
public final class PostgresPool: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    public let limits: PostgresPoolLimits

    private let tlsContext: TLSClientContext?
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var closed = false
    private let retries = Atomic<Int>(0)

    /// Makes the pool (and the TLS context, reading `sslrootcert` once); opens nothing yet.
    public init(configuration: PostgresConfiguration, limits: PostgresPoolLimits = PostgresPoolLimits()) throws(PostgresError) {
        guard limits.maximumConnections > 0, limits.maximumAttempts > 0 else {
            throw .configuration("the pool needs at least one connection and one attempt")
        }
        self.configuration = configuration
        self.limits = limits
        self.tlsContext = configuration.sslMode == .disable ? nil : try PostgresConnection.makeTLSContext(configuration)
    }

    deinit { close() }

    /// Connections open now (idle and in use).
    public var openConnections: Int {
        condition.lock()
        defer { condition.unlock() }
        return open
    }

    /// Transactions run again so far because the server refused one to keep them serializable
    /// or to break a deadlock: a figure for tests and benchmarks, which a store whose bodies
    /// lock what they change keeps at zero.
    public var retriedTransactions: Int { retries.load(ordering: .relaxed) }

    /// Runs `body` with a connection of its own. The connection goes back to the pool unless
    /// it was closed or left inside a transaction (then it is closed and dropped).
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkout()
        defer { checkin(connection) }
        return try body(connection)
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws. On a
    /// serialization failure or deadlock (at any statement, or at COMMIT) the whole body runs
    /// again, up to ``PostgresPoolLimits/maximumAttempts`` times, so it must not have effects
    /// outside the database. A connection lost before COMMIT was sent (a server restart that the
    /// idle check could not see yet) is replaced and the attempt made again: the server rolled
    /// back whatever of the body ran on it. (A connection lost during COMMIT is not retried: the
    /// outcome is unknown, and the caller gets the error.)
    ///
    /// BEGIN is deferred (``PostgresConnection/deferBegin(_:)``): it travels with the body's
    /// first statement, so a transaction costs one round trip fewer.
    public func transaction<T>(_ options: PostgresTransactionOptions = .write,
                               _ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 1
        var lostConnections = 0
        while true {
            switch try attemptTransaction(options, body) {
            case .committed(let result):
                return result
            case .lostBeforeCommit(let error):
                lostConnections += 1
                guard lostConnections <= limits.maximumConnections else { throw error }
            case .retryable(let error):
                guard attempt < limits.maximumAttempts else { throw error }
                retries.add(1, ordering: .relaxed)
                backoff(attempt)
                attempt += 1
            }
        }
    }

    private enum Attempt<T> {
        case committed(T)
        case lostBeforeCommit(any Error)
        case retryable(PostgresError)
    }

    /// One run of a transaction on one connection; other errors are thrown as they are.
    private func attemptTransaction<T>(_ options: PostgresTransactionOptions,
                                       _ body: (PostgresConnection) throws -> T) throws -> Attempt<T> {
        let connection = try checkout()
        defer { checkin(connection) }
        connection.deferBegin(options.beginStatements(session: configuration.statementTimeout))
        let result: T
        do {
            result = try body(connection)
        } catch {
            connection.discardDeferred()
            if connection.isClosed { return .lostBeforeCommit(error) }
            if connection.transactionStatus != .idle { _ = try? connection.simpleQuery("ROLLBACK") }
            if let postgres = error as? PostgresError, postgres.isTransactionRetryable { return .retryable(postgres) }
            throw error
        }
        if connection.transactionStatus == .failed {
            // The body caught a statement's error and returned: the server has already thrown
            // the transaction away, and COMMIT would answer ROLLBACK without an error. Every
            // write of the body would be lost in silence; report the error instead.
            _ = try? connection.simpleQuery("ROLLBACK")
            let error = connection.lastServerError.map(PostgresError.server)
                ?? .protocolViolation("the transaction failed inside its body")
            if error.isTransactionRetryable { return .retryable(error) }
            throw error
        }
        let tags: [String]
        do {
            tags = try connection.simpleQuery("COMMIT").map(\.commandTag)
        } catch {
            if !connection.isClosed && connection.transactionStatus != .idle {
                _ = try? connection.simpleQuery("ROLLBACK")
            }
            if error.isTransactionRetryable { return .retryable(error) }
            throw error
        }
        guard tags.isEmpty || tags == ["COMMIT"] else {
            throw PostgresError.protocolViolation("COMMIT answered \(tags.joined(separator: ", ")): nothing was committed")
        }
        return .committed(result)
    }

    private func backoff(_ attempt: Int) {
        let base = limits.retryBackoff * Double(1 << min(attempt - 1, 10))
        Thread.sleep(forTimeInterval: base * Double.random(in: 0.5...1.5))
    }

    /// Closes the idle connections and refuses new checkouts; connections in use are closed
    /// as they come back.
    public func close() {
        condition.lock()
        closed = true
        let dropping = idle
        idle.removeAll()
        open -= dropping.count
        condition.broadcast()
        condition.unlock()
        for connection in dropping { connection.close() }
    }

    private func checkout() throws(PostgresError) -> PostgresConnection {
        let deadline = Date().addingTimeInterval(limits.checkoutTimeout)
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw .closed
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isHealthy() { return connection }
                configuration.logger.info("postgres connection dropped: no longer healthy", ["pid": String(connection.processID)])
                connection.close()
                condition.lock()
                open -= 1
                continue
            }
            if open < limits.maximumConnections {
                open += 1
                condition.unlock()
                do {
                    return try PostgresConnection.connect(configuration, tlsContext: tlsContext)
                } catch {
                    condition.lock()
                    open -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            guard condition.wait(until: deadline) else {
                condition.unlock()
                throw .poolTimeout(waited: limits.checkoutTimeout)
            }
        }
    }

    private func checkin(_ connection: PostgresConnection) {
        let reusable = !connection.isClosed && connection.transactionStatus == .idle
        if !reusable { connection.close() }
        condition.lock()
        if reusable && !closed {
            idle.append(connection)
        } else {
            open -= 1
            if reusable { connection.close() }
        }
        condition.signal()
        condition.unlock()
    }
}
