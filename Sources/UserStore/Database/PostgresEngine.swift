import ClaveCrypto
import Foundation
import PostgresClient
import Synchronization

/// The several-node engine behind a ``Database``: a pool of connections to one PostgreSQL
/// server that every `clave serve` node shares.
///
/// Writes run SERIALIZABLE, so a body that reads and then writes (a rate-limit window, the
/// latest reset link) has the outcome it would have had alone, as with SQLite's one writer;
/// when the server refuses a commit to keep it so (a serialization failure or a deadlock with
/// another node), the whole body runs again, up to ``PostgresPoolLimits/maximumAttempts``
/// times. Bodies must therefore do nothing outside the database that cannot run twice, which
/// the repositories already keep to. Reads run REPEATABLE READ, READ ONLY: one snapshot.
///
/// Every statement has a timeout (``PostgresTransactionOptions/statementTimeout``) and a
/// checkout waits a bounded time, so a server that is away answers `StoreError.unavailable`
/// within seconds, never a hang; the pool opens fresh connections once it is back.
final class PostgresEngine: @unchecked Sendable {
    let configuration: PostgresConfiguration
    let pool: PostgresPool
    private let limits: PostgresPoolLimits
    /// What one statement may take, in seconds.
    let statementTimeout: TimeInterval
    private let translations = PlaceholderTranslations()
    private let bodyRetries = Atomic<Int>(0)

    /// Transactions run again after a serialization failure or deadlock, by the pool (at a
    /// statement or at COMMIT) or here (a body that met one through the store's errors).
    var retriedTransactions: Int { pool.retriedTransactions + bodyRetries.load(ordering: .relaxed) }

    init(configuration: PostgresConfiguration, limits: PostgresPoolLimits, statementTimeout: TimeInterval) throws(StoreError) {
        // Every transaction here has the same timeout: made the sessions' own, it costs no
        // SET LOCAL per transaction.
        var configuration = configuration
        configuration.statementTimeout = configuration.statementTimeout ?? statementTimeout
        self.configuration = configuration
        self.limits = limits
        self.statementTimeout = statementTimeout
        do {
            pool = try PostgresPool(configuration: configuration, limits: limits)
        } catch {
            throw PostgresStoreConnection.storeError(error)
        }
    }

    /// How a write transaction is isolated.
    enum WriteIsolation {
        /// SERIALIZABLE: the default for every unit of work.
        case serializable
        /// READ COMMITTED: each statement sees what committed before it began. For migrations
        /// (which wait on an advisory lock and must then see the other node's work) and for
        /// bodies that lock the rows they change (`FOR UPDATE SKIP LOCKED`).
        case readCommitted
    }

    func write<T>(_ isolation: WriteIsolation = .serializable, _ body: (any StoreConnection) throws -> T) throws -> T {
        let options = PostgresTransactionOptions(isolation: isolation == .serializable ? .serializable : .readCommitted,
                                                 readOnly: false, statementTimeout: statementTimeout)
        return try run(options, body)
    }

    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        try run(PostgresTransactionOptions(isolation: .repeatableRead, readOnly: true, statementTimeout: statementTimeout), body)
    }

    /// One transaction, run again when a statement inside the body met a serialization failure
    /// (the pool itself runs it again when COMMIT does).
    private func run<T>(_ options: PostgresTransactionOptions, _ body: (any StoreConnection) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try pool.transaction(options) { connection in
                    try body(PostgresStoreConnection(connection, translations: translations))
                }
            } catch StoreError.conflict(let message) {
                guard attempt < limits.maximumAttempts else { throw StoreError.conflict(message: message) }
                bodyRetries.add(1, ordering: .relaxed)
                let pause = limits.retryBackoff * Double(1 << min(attempt - 1, 10)) * Double.random(in: 0.5...1.5)
                Thread.sleep(forTimeInterval: pause)
                attempt += 1
            } catch {
                throw PostgresStoreConnection.translating(error)
            }
        }
    }

    /// `NOTIFY channel` outside any transaction (autocommit: nothing to flush).
    func notify(channel: String) throws {
        do {
            try pool.withConnection { connection in try connection.notify(channel) }
        } catch {
            throw PostgresStoreConnection.translating(error)
        }
    }

    func close() { pool.close() }
}
