import CSQLite
import Foundation

/// SQLite's SQLITE_TRANSIENT: the library copies bound text and blobs before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Owned by one `Connection`, which caches it and resets it after each use;
/// never shared between threads.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let connection: SQLiteConnection
    /// Column names, read once: they do not change between executions of one statement.
    private lazy var columnNames: [String] = (0..<sqlite3_column_count(handle)).map { i in
        sqlite3_column_name(handle, i).map { String(cString: $0) } ?? "#\(i)"
    }

    init(connection: SQLiteConnection, sql: String) throws(StoreError) {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw connection.error(code)
        }
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds every parameter, in order (`?1`, `?2`, ...). A count mismatch is a programming error
    /// reported as a typed error rather than a crash.
    func bind(_ arguments: [any SQLBindable]) throws(StoreError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == arguments.count else {
            throw .sqlite(code: SQLITE_RANGE, message: "statement takes \(expected) parameters, \(arguments.count) given: \(sql)")
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch argument.sqlValue {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
            case .real(let v): code = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // With its byte length, never -1: as a C string, "a\0b" would bind as "a", so a
                // look-up would find an account the rate limiter counts under another key.
                code = v.utf8CString.withUnsafeBufferPointer { text in
                    sqlite3_bind_text64(handle, index, text.baseAddress, sqlite3_uint64(text.count - 1), transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let v):
                code = v.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), transient)
                }
            }
            guard code == SQLITE_OK else { throw connection.error(code) }
        }
    }

    /// Steps once: true when a row is ready, false when done.
    func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code)
        }
    }

    /// The current row's values.
    func row() -> Row {
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for i in 0..<count {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, i)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, i)))
            case SQLITE_TEXT:
                let length = Int(sqlite3_column_bytes(handle, i))
                if let text = sqlite3_column_text(handle, i) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let length = Int(sqlite3_column_bytes(handle, i))
                if let blob = sqlite3_column_blob(handle, i), length > 0 {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: blob, count: length))))
                } else {
                    values.append(.blob([]))
                }
            default: values.append(.null)
            }
        }
        return Row(values: values, columns: columnNames)
    }

    /// Readies the statement for its next use and drops references to bound values.
    func reset() {
        connection.fullScanSteps += Int(sqlite3_stmt_status(handle, Int32(SQLITE_STMTSTATUS_FULLSCAN_STEP), 1))
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
