import CSQLite
import Foundation

/// The embedded engine behind a ``Database``: one SQLite file, one writer connection behind a
/// lock, and a small pool of reader connections that run in parallel with it.
///
/// WAL mode is what makes this split safe: readers see the last committed state while the
/// writer works, and writes are serialized in-process by the lock (and across processes by
/// SQLite's own lock plus the busy timeout), so no write ever fails with SQLITE_BUSY because a
/// sibling thread held the lock.
final class SQLiteEngine: @unchecked Sendable {
    let path: String
    let configuration: DatabaseConfiguration

    private let writer: SQLiteConnection
    private let writeLock = NSLock()

    private let readersCondition = NSCondition()
    private var idleReaders: [SQLiteConnection] = []
    private var openReaders = 0

    init(path: String, configuration: DatabaseConfiguration) throws(StoreError) {
        // Readers open the path again: an in-memory or temporary database would give each
        // connection its own empty database, so only real files are accepted.
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else {
            throw .cannotOpen(path: path, message: "a database file path is required (readers open the same file)")
        }
        self.path = path
        self.configuration = configuration
        self.writer = try SQLiteConnection(path: path, readOnly: false, configuration: configuration)
    }

    /// `BEGIN IMMEDIATE` on the writer: takes the write lock up front, so a transaction never
    /// fails half-way with SQLITE_BUSY on its first write.
    func write<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        return try Self.transaction(on: writer, begin: "BEGIN IMMEDIATE", body)
    }

    /// `BEGIN DEFERRED` on a pooled reader: one consistent snapshot, in parallel with the writer.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        let connection = try checkoutReader()
        defer { checkin(connection) }
        return try Self.transaction(on: connection, begin: "BEGIN DEFERRED", body)
    }

    /// `begin`, the body, then COMMIT; ROLLBACK (and rethrow) when the body or COMMIT throws.
    private static func transaction<T>(on connection: SQLiteConnection, begin: String,
                                       _ body: (any StoreConnection) throws -> T) throws -> T {
        try connection.execute(begin)
        do {
            let result = try body(connection)
            try connection.execute("COMMIT")
            return result
        } catch {
            // If COMMIT itself failed the transaction may still be open; ROLLBACK then cleans
            // up, and a "no transaction is active" error is harmless.
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    var fullScanSteps: Int {
        writeLock.lock()
        let written = writer.fullScanSteps
        writeLock.unlock()
        readersCondition.lock()
        defer { readersCondition.unlock() }
        return idleReaders.reduce(written) { $0 + $1.fullScanSteps }
    }

    func checkpointAndTruncate() throws -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        let busy = try writer.queryOne("PRAGMA wal_checkpoint(TRUNCATE)") { try $0.int(0) }
        return busy == 0
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
}
