import CSQLite
import ClaveLog
import Foundation

/// The SQLite file behind every repository: one writer connection behind a lock, and a small
/// pool of reader connections that run in parallel with it.
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
/// WAL mode is what makes this split safe: readers see the last committed state while the
/// writer works, and writes are serialized in-process by the lock (and across processes by
/// SQLite's own lock plus the busy timeout), so no write ever fails with SQLITE_BUSY because a
/// sibling thread held the lock.
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
    /// The file's path.
    public let path: String
    /// How connections were opened.
    public let configuration: DatabaseConfiguration

    private let writer: SQLiteConnection
    private let writeLock = NSLock()

    private let readersCondition = NSCondition()
    private var idleReaders: [SQLiteConnection] = []
    private var openReaders = 0

    let log = Logger(label: "store")

    /// Opens (creating if needed) the file at `path` in WAL mode with foreign keys on, the
    /// busy timeout and `synchronous=NORMAL`. Does not migrate: call `migrate()`.
    public init(path: String, configuration: DatabaseConfiguration = .default) throws(StoreError) {
        // Readers open the path again: an in-memory or temporary database would give each
        // connection its own empty database, so only real files are accepted.
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else {
            throw .cannotOpen(path: path, message: "a database file path is required (readers open the same file)")
        }
        self.path = path
        self.configuration = configuration
        self.writer = try SQLiteConnection(path: path, readOnly: false, configuration: configuration)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction on the writer connection: commits when it
    /// returns, rolls back when it throws (and rethrows). IMMEDIATE takes the write lock up front,
    /// so a transaction never fails half-way with SQLITE_BUSY on its first write.
    @discardableResult
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        try writer.execute("BEGIN IMMEDIATE")
        do {
            let result = try body(Transaction(connection: writer))
            try writer.execute("COMMIT")
            return result
        } catch {
            // If COMMIT itself failed the transaction may still be open; ROLLBACK then cleans
            // up, and a "no transaction is active" error is harmless.
            _ = try? writer.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read transaction on a pooled reader connection, in parallel with other
    /// readers and with the writer. The body sees one consistent snapshot (the last commit, not
    /// an enclosing `write`'s uncommitted rows). Only reading methods exist on its repositories.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        let connection = try checkoutReader()
        defer { checkin(connection) }
        try connection.execute("BEGIN DEFERRED")
        do {
            let result = try body(Transaction(connection: connection))
            try connection.execute("COMMIT")
            return result
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Rows stepped through in full table scans so far by this database's connections
    /// (SQLite's `SQLITE_STMTSTATUS_FULLSCAN_STEP`; a reader in use at the moment is not
    /// counted until it is back). A request path must add none that grows with a table: a scan
    /// of the audit log in a failed login would make real accounts answer slower than unknown
    /// ones as the log grows. Tests read it around a request.
    public var fullScanSteps: Int {
        writeLock.lock()
        let written = writer.fullScanSteps
        writeLock.unlock()
        readersCondition.lock()
        defer { readersCondition.unlock() }
        return idleReaders.reduce(written) { $0 + $1.fullScanSteps }
    }

    private func checkoutReader() throws(StoreError) -> SQLiteConnection {
        readersCondition.lock()
        defer { readersCondition.unlock() }
        while true {
            if let connection = idleReaders.popLast() { return connection }
            if openReaders < configuration.maximumReaders {
                openReaders += 1
                do {
                    return try SQLiteConnection(path: path, readOnly: true, configuration: configuration)
                } catch {
                    openReaders -= 1
                    throw error
                }
            }
            readersCondition.wait()
        }
    }

    private func checkin(_ connection: SQLiteConnection) {
        readersCondition.lock()
        idleReaders.append(connection)
        readersCondition.signal()
        readersCondition.unlock()
    }

    /// Copies every committed page from the WAL into the file and truncates the WAL to zero
    /// bytes (`PRAGMA wal_checkpoint(TRUNCATE)`), so older versions of rewritten rows leave
    /// the disk: called after email bodies are scrubbed, since the WAL still holds the frames
    /// written before. Returns whether the whole WAL was checkpointed (false when a reader's
    /// snapshot still needed part of it; the next call finishes the job).
    @discardableResult
    public func checkpointAndTruncate() throws -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        let busy = try writer.queryOne("PRAGMA wal_checkpoint(TRUNCATE)") { try $0.int(0) }
        return busy == 0
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file, else SQLite's list of problems.
    public func integrityCheck() throws -> String {
        try write { tx in
            try tx.connection.query("PRAGMA integrity_check") { try $0.string(0) }.joined(separator: "\n")
        }
    }
}
