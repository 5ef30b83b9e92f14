import Foundation

/// A value SQLite stores: the five storage classes.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that binds to a statement parameter. Dates bind as seconds since 1970 (REAL),
/// booleans as 0/1, optionals as NULL when nil.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Date: SQLBindable { public var sqlValue: SQLValue { .real(timeIntervalSince1970) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .blob(self) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The value as bound to a statement.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row, read by column index with typed accessors that throw
/// `StoreError.invalidValue` instead of trapping on an unexpected NULL or type.
public struct Row: Sendable {
    /// The row's values, in select order.
    public let values: [SQLValue]
    /// The column names, for error messages.
    public let columns: [String]

    /// Creates a value from its fields.
    public init(values: [SQLValue], columns: [String]) {
        self.values = values
        self.columns = columns
    }

    private func name(_ index: Int) -> String { index < columns.count ? columns[index] : "#\(index)" }

    private func value(_ index: Int) throws -> SQLValue {
        guard index >= 0, index < values.count else {
            throw StoreError.invalidValue(column: name(index), reason: "no such column")
        }
        return values[index]
    }

    /// Whether the column holds NULL.
    public func isNull(_ index: Int) throws -> Bool { try value(index) == .null }

    /// The column as a 64-bit integer (an integral REAL is accepted).
    public func int64(_ index: Int) throws -> Int64 {
        switch try value(index) {
        case .integer(let v): return v
        case .real(let v) where v.rounded() == v && abs(v) < 9e18: return Int64(v)
        default: throw StoreError.invalidValue(column: name(index), reason: "expected an integer")
        }
    }

    /// The column as an `Int`.
    public func int(_ index: Int) throws -> Int { Int(try int64(index)) }

    /// The column as a boolean (0 is false).
    public func bool(_ index: Int) throws -> Bool { try int64(index) != 0 }

    /// The column as a `Double` (an INTEGER is converted).
    public func double(_ index: Int) throws -> Double {
        switch try value(index) {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: throw StoreError.invalidValue(column: name(index), reason: "expected a number")
        }
    }

    /// The column as text.
    public func string(_ index: Int) throws -> String {
        guard case .text(let v) = try value(index) else {
            throw StoreError.invalidValue(column: name(index), reason: "expected text")
        }
        return v
    }

    /// The column as a `Date` (REAL seconds since 1970).
    public func date(_ index: Int) throws -> Date { Date(timeIntervalSince1970: try double(index)) }

    /// The column as an integer, nil when NULL.
    public func optionalInt64(_ index: Int) throws -> Int64? { try isNull(index) ? nil : try int64(index) }
    /// The column as text, nil when NULL.
    public func optionalString(_ index: Int) throws -> String? { try isNull(index) ? nil : try string(index) }
    /// The column as a `Date`, nil when NULL.
    public func optionalDate(_ index: Int) throws -> Date? { try isNull(index) ? nil : try date(index) }
}
