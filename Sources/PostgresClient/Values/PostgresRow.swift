import Foundation

/// One result row, read by column index with typed accessors that throw
/// ``PostgresError/decoding(column:reason:)`` instead of trapping on NULL or a wrong type:
/// the same shape as the SQLite store's `Row`, so repositories read both alike.
public struct PostgresRow: Sendable, Equatable {
    public let values: [PostgresValue]
    public let columns: [String]

    public init(values: [PostgresValue], columns: [String]) {
        self.values = values
        self.columns = columns
    }

    private func name(_ index: Int) -> String { index >= 0 && index < columns.count ? columns[index] : "#\(index)" }

    private func value(_ index: Int) throws(PostgresError) -> PostgresValue {
        guard index >= 0, index < values.count else { throw .decoding(column: name(index), reason: "no such column") }
        return values[index]
    }

    private func mismatch(_ index: Int, _ expected: String) -> PostgresError {
        .decoding(column: name(index), reason: "expected \(expected)")
    }

    public func isNull(_ index: Int) throws(PostgresError) -> Bool { try value(index) == .null }

    public func int64(_ index: Int) throws(PostgresError) -> Int64 {
        guard case .int64(let v) = try value(index) else { throw mismatch(index, "an integer") }
        return v
    }

    public func int(_ index: Int) throws(PostgresError) -> Int { Int(try int64(index)) }

    public func bool(_ index: Int) throws(PostgresError) -> Bool {
        switch try value(index) {
        case .bool(let v): return v
        case .int64(let v): return v != 0
        default: throw mismatch(index, "a boolean")
        }
    }

    public func double(_ index: Int) throws(PostgresError) -> Double {
        switch try value(index) {
        case .float64(let v): return v
        case .int64(let v): return Double(v)
        default: throw mismatch(index, "a number")
        }
    }

    public func string(_ index: Int) throws(PostgresError) -> String {
        guard case .text(let v) = try value(index) else { throw mismatch(index, "text") }
        return v
    }

    public func bytes(_ index: Int) throws(PostgresError) -> [UInt8] {
        guard case .bytea(let v) = try value(index) else { throw mismatch(index, "bytea") }
        return v
    }

    /// A timestamptz, or seconds since 1970 stored as float8 or int8 (the SQLite store's form).
    public func date(_ index: Int) throws(PostgresError) -> Date {
        switch try value(index) {
        case .timestamptz(let v): return v
        case .float64(let v): return Date(timeIntervalSince1970: v)
        case .int64(let v): return Date(timeIntervalSince1970: Double(v))
        default: throw mismatch(index, "a timestamp")
        }
    }

    public func optionalInt64(_ index: Int) throws(PostgresError) -> Int64? { try isNull(index) ? nil : try int64(index) }
    public func optionalString(_ index: Int) throws(PostgresError) -> String? { try isNull(index) ? nil : try string(index) }
    public func optionalDate(_ index: Int) throws(PostgresError) -> Date? { try isNull(index) ? nil : try date(index) }
}

/// What a statement returned: its rows and the command tag's row count.
public struct PostgresQueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [PostgresRow]
    /// The command tag: `INSERT 0 1`, `SELECT 3`, `BEGIN` (empty for an empty query).
    public var commandTag: String

    public init(columns: [String], rows: [PostgresRow], commandTag: String) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
    }

    /// Rows inserted, updated, deleted, selected or fetched: the tag's last number, 0 without one.
    public var affectedRows: Int {
        guard let last = commandTag.split(separator: " ").last, let n = Int(last) else { return 0 }
        return n
    }
}
