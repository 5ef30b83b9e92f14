import CSQLite
import ClaveLog
import Foundation

/// The store behind every repository: a SQLite file (``SQLiteEngine``: one writer, pooled
/// readers) or a PostgreSQL server shared by several nodes (``PostgresEngine``: a pool,
/// serializable writes run again on conflicts). The repositories run unchanged on both.
///
/// There is one way to run a unit of work: `read { tx in ... }` or `write { tx in ... }`. The
/// body gets a ``Transaction`` and takes the repositories from it (`tx.users`, `tx.outbox`,
/// ...); everything it does commits together or not at all. Two rules are types, not checks:
///
/// - Nesting cannot be written: a repository holds its transaction, not the `Database`, and a
///   transaction has no `read` or `write`, so a step inside a unit of work can only join it.
///   (Capturing the `Database` itself in the body and calling `write` again would wait for the
///   lock the body holds: do not.)
/// - Writes cannot run in a read: `tx` is a `Transaction<ReadAccess>` in `read` and a
///   `Transaction<WriteAccess>` in `write`, and repositories declare their writing methods only
///   `where Access == WriteAccess`. `database.read { try $0.users.lock(...) }` does not compile.
///
/// Invariants that span tables stay in the store as composite repository methods, so callers
/// cannot forget half of them: `tx.resetTokens.issue(...)` writes the token and enqueues its
/// email through `tx.outbox` in the same transaction.
///
/// On PostgreSQL a write body may run more than once (a serialization failure with another
/// node's transaction runs it again), so it must do nothing outside the database that cannot
/// be repeated: repositories, hashing, building values, as every body does now.
///
/// ```swift
/// let database = try Database(path: "var/clave.sqlite")
/// try database.migrate()
/// let user = try database.read { tx in try tx.users.findSecop(username: "ana") }
/// try database.write { tx in
///     let lookup = try tx.resetTokens.redeemAndChangePassword(tokenHash: hash, portal: .secop, purpose: .passwordReset,
///                                                             newPasswordHash: new, now: now)
///     if lookup.status == .valid {
///         try tx.auditLog.record(portal: "secop", userID: lookup.token?.userID, event: "reset.done", at: now)
///     }
/// }
/// ```
public final class Database: @unchecked Sendable {
    /// Where the store is (the file, or the server).
    public let location: DatabaseLocation
    /// The file's path, or the server's URL without its password.
    public var path: String { location.description }
    /// How SQLite connections were opened (ignored for PostgreSQL).
    public let configuration: DatabaseConfiguration

    enum Engine {
        case sqlite(SQLiteEngine)
        case postgres(PostgresEngine)
    }

    let engine: Engine
    private let postgresLimits: PostgresStoreLimits

    let log = Logger(label: "store")

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode with foreign keys on,
    /// the busy timeout and `synchronous=NORMAL`. Does not migrate: call `migrate()`.
    public convenience init(path: String, configuration: DatabaseConfiguration = .default) throws(StoreError) {
        try self.init(location: .sqlite(path: path), configuration: configuration)
    }

    /// Opens the store at `location`. For SQLite the file is opened now; for PostgreSQL the pool
    /// connects on first use (``checkConnection()`` connects at once). Does not migrate.
    public init(location: DatabaseLocation, configuration: DatabaseConfiguration = .default,
                postgres: PostgresStoreLimits = .default) throws(StoreError) {
        self.location = location
        self.configuration = configuration
        self.postgresLimits = postgres
        switch location {
        case .sqlite(let path):
            engine = .sqlite(try SQLiteEngine(path: path, configuration: configuration))
        case .postgres(let server):
            engine = .postgres(try PostgresEngine(configuration: server, limits: postgres.pool,
                                                  statementTimeout: postgres.statementTimeout))
        }
    }

    /// The same store opened again, as a second process would (its own connections).
    public func reopened() throws(StoreError) -> Database {
        try Database(location: location, configuration: configuration, postgres: postgresLimits)
    }

    /// The engine's SQL dialect.
    public var dialect: SQLDialect {
        switch engine {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Runs `body` in a write transaction: commits when it returns, rolls back when it throws
    /// (and rethrows). SQLite: `BEGIN IMMEDIATE` on the writer, which takes the write lock up
    /// front. PostgreSQL: SERIALIZABLE, the body run again on a serialization failure.
    @discardableResult
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let sqlite): try sqlite.write { try body(Transaction(connection: $0)) }
        case .postgres(let postgres): try postgres.write { try body(Transaction(connection: $0)) }
        }
    }

    /// A write whose body locks the rows it changes (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
    /// where it runs READ COMMITTED, so that nodes claiming from one queue skip each other's
    /// rows instead of failing to serialize; a reset link's issue, which locks its user's row;
    /// a login's throttle count, which locks its keys); the same as ``write(_:)`` on SQLite.
    @discardableResult
    public func writeLockingRows<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let sqlite): try sqlite.write { try body(Transaction(connection: $0)) }
        case .postgres(let postgres): try postgres.write(.readCommitted) { try body(Transaction(connection: $0)) }
        }
    }

    /// Runs `body` in a read transaction, in parallel with other readers and with writers. The
    /// body sees one consistent snapshot (the last commit, not an enclosing `write`'s
    /// uncommitted rows). Only reading methods exist on its repositories.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let sqlite): try sqlite.read { try body(Transaction(connection: $0)) }
        case .postgres(let postgres): try postgres.read { try body(Transaction(connection: $0)) }
        }
    }

    /// Write transactions run again so far after a serialization failure or a deadlock (always
    /// 0 on SQLite, whose one writer never meets either). Tests read it around concurrent work
    /// that locks what it changes, which must need none.
    public var retriedTransactions: Int {
        switch engine {
        case .sqlite: 0
        case .postgres(let postgres): postgres.retriedTransactions
        }
    }

    /// Rows stepped through in full table scans so far by this database's connections
    /// (SQLite's `SQLITE_STMTSTATUS_FULLSCAN_STEP`; a reader in use at the moment is not
    /// counted until it is back; always 0 on PostgreSQL). A request path must add none that
    /// grows with a table: a scan of the audit log in a failed login would make real accounts
    /// answer slower than unknown ones as the log grows. Tests read it around a request.
    public var fullScanSteps: Int {
        switch engine {
        case .sqlite(let sqlite): sqlite.fullScanSteps
        case .postgres: 0
        }
    }

    /// Copies every committed page from the WAL into the file and truncates the WAL to zero
    /// bytes (`PRAGMA wal_checkpoint(TRUNCATE)`), so older versions of rewritten rows leave
    /// the disk: called after email bodies are scrubbed, since the WAL still holds the frames
    /// written before. Returns whether the whole WAL was checkpointed (false when a reader's
    /// snapshot still needed part of it; the next call finishes the job). On PostgreSQL,
    /// where autovacuum reclaims the old row versions, it does nothing and returns true.
    @discardableResult
    public func checkpointAndTruncate() throws -> Bool {
        switch engine {
        case .sqlite(let sqlite): try sqlite.checkpointAndTruncate()
        case .postgres: true
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file, else SQLite's list of problems. On
    /// PostgreSQL, which checks its own pages, "ok" once a query answers.
    public func integrityCheck() throws -> String {
        switch engine {
        case .sqlite:
            try write { tx in
                try tx.connection.query("PRAGMA integrity_check") { try $0.string(0) }.joined(separator: "\n")
            }
        case .postgres:
            try read { tx in try tx.connection.queryOne("SELECT 'ok'") { try $0.string(0) } ?? "no answer" }
        }
    }

    /// Sends `NOTIFY channel` in a transaction of its own (PostgreSQL; nothing on SQLite).
    func notify(channel: String) throws {
        guard case .postgres(let postgres) = engine else { return }
        try postgres.notify(channel: channel)
    }

    /// Closes the pool's connections (PostgreSQL); SQLite's close with the object.
    public func close() {
        if case .postgres(let postgres) = engine { postgres.close() }
    }
}
