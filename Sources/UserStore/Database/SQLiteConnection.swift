import CSQLite
import ClaveLog
import Foundation

/// One SQLite connection with its prepared-statement cache: the embedded engine's
/// ``StoreConnection``.
///
/// A `SQLiteConnection` is only ever used by one thread at a time: `Database` hands the writer out
/// under its lock and each reader from its pool, wrapped in a ``Transaction``. Repositories
/// reach it through their transaction; code outside the store does not see it.
public final class SQLiteConnection: StoreConnection {
    let handle: OpaquePointer
    let path: String
    private var cache: [String: Statement] = [:]
    private var cacheOrder: [String] = []
    private let cacheCapacity: Int
    /// Rows this connection's statements stepped through in full table scans
    /// (`SQLITE_STMTSTATUS_FULLSCAN_STEP`), added up as each statement is reset.
    var fullScanSteps = 0
    /// SQLite's.
    public var dialect: SQLDialect { .sqlite }

    /// Opens `path` (creating it unless `readOnly`) and sets the pragmas every connection needs.
    init(path: String, readOnly: Bool, configuration: DatabaseConfiguration) throws(StoreError) {
        var handle: OpaquePointer?
        // NOMUTEX: the connection is never shared between threads at once (see above), so
        // SQLite's own per-connection mutex would only cost time.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw StoreError.from(code: code, message: message, path: path)
        }
        self.handle = handle
        self.path = path
        self.cacheCapacity = configuration.statementCacheCapacity
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, configuration.busyTimeoutMilliseconds)
        do {
            // Reading the schema fails fast on a file that is not a database.
            try execute("PRAGMA foreign_keys = ON")
            // Deleted and overwritten content is zeroed, not left in free space: a scrubbed
            // email body (a reset link, a temporary password) must not stay readable in the file.
            if !readOnly { _ = try queryOne("PRAGMA secure_delete = ON") { _ in () } }
            if !readOnly {
                let mode = try queryOne("PRAGMA journal_mode = WAL") { try $0.string(0) }
                if mode?.lowercased() != "wal" {
                    throw StoreError.sqlite(code: SQLITE_ERROR, message: "could not switch \(path) to WAL (got \(mode ?? "nothing"))")
                }
            }
            // NORMAL in WAL mode: a commit is durable once the WAL is synced at checkpoint;
            // a power cut may lose the last transactions but never corrupts the file. FULL
            // syncs the WAL at every commit (DatabaseConfiguration.syncsEveryCommit).
            try execute(configuration.syncsEveryCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            if !readOnly {
                // PRAGMA takes no parameters; the value is an Int from configuration, not input.
                _ = try queryOne("PRAGMA wal_autocheckpoint = \(configuration.walAutoCheckpointPages)") { _ in () }
            }
            if readOnly { try execute("PRAGMA query_only = ON") }
        } catch {
            cache.removeAll()
            sqlite3_close_v2(handle)
            throw (error as? StoreError) ?? .sqlite(code: SQLITE_ERROR, message: "\(error)")
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The error for `code`, with SQLite's message for this connection.
    func error(_ code: Int32) -> StoreError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return StoreError.from(code: extended != 0 ? extended : code, message: message, path: path)
    }

    /// The cached prepared statement for `sql`, preparing it on first use.
    private func statement(_ sql: String) throws(StoreError) -> Statement {
        if let cached = cache[sql] { return cached }
        let statement = try Statement(connection: self, sql: sql)
        if cache.count >= cacheCapacity, let oldest = cacheOrder.first {
            cacheOrder.removeFirst()
            cache[oldest] = nil
        }
        cache[sql] = statement
        cacheOrder.append(sql)
        return statement
    }

    /// Runs a statement that returns no rows; returns how many rows it changed.
    ///
    /// ```swift
    /// try connection.execute("UPDATE users SET locked_until = ?1 WHERE id = ?2", [until, id])
    /// ```
    @discardableResult
    public func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) -> Int {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Runs the statement now: an in-process engine has no round trip to save.
    public func executeDeferred(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) {
        _ = try execute(sql, arguments)
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> [T] {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        var out: [T] = []
        while try statement.step() { out.append(try map(statement.row())) }
        return out
    }

    /// Runs a query and maps its first row, or returns nil when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> T? {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return try map(statement.row())
    }

    /// Runs several statements with no parameters (migrations only: never for input).
    public func executeScript(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "unknown"
            sqlite3_free(message)
            throw StoreError.from(code: sqlite3_extended_errcode(handle), message: text, path: path)
        }
    }
}
