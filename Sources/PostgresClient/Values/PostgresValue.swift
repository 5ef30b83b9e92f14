import Foundation

/// A parameter or column value of the types the store uses. Parameters are sent in binary
/// with their type, so `$1` needs no cast; results of these types come back in binary too.
///
/// ```swift
/// try connection.query("SELECT id FROM users WHERE email = $1 AND active = $2", [.text(email), .bool(true)])
/// ```
public enum PostgresValue: Sendable, Equatable, Hashable {
    case null
    case text(String)
    /// int8 (smallint and integer columns decode to this too).
    case int64(Int64)
    /// float8 (real columns decode to this too).
    case float64(Double)
    case bool(Bool)
    case bytea([UInt8])
    /// timestamptz, to the microsecond the server stores.
    case timestamptz(Date)

    /// The type OID a parameter is declared with in Parse.
    public var typeOID: UInt32 {
        switch self {
        case .null: PostgresType.unspecified
        case .text: PostgresType.text
        case .int64: PostgresType.int8
        case .float64: PostgresType.float8
        case .bool: PostgresType.bool
        case .bytea: PostgresType.bytea
        case .timestamptz: PostgresType.timestamptz
        }
    }

    /// Microseconds from 1970 to PostgreSQL's epoch, 2000-01-01 00:00 UTC.
    static let epochOffsetMicroseconds: Int64 = 946_684_800_000_000

    /// The binary form of a parameter (nil for NULL).
    public var binary: [UInt8]? {
        switch self {
        case .null: return nil
        case .text(let v): return Array(v.utf8)
        case .int64(let v): return Self.bigEndian(UInt64(bitPattern: v))
        case .float64(let v): return Self.bigEndian(v.bitPattern)
        case .bool(let v): return [v ? 1 : 0]
        case .bytea(let v): return v
        case .timestamptz(let date):
            let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
            let clamped = Int64(max(-9.2e18, min(9.2e18, micros)))
            return Self.bigEndian(UInt64(bitPattern: clamped &- Self.epochOffsetMicroseconds))
        }
    }

    private static func bigEndian(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8((v >> UInt64(56 - 8 * $0)) & 0xFF) }
    }

    private static func integer(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Decodes a column value of type `typeOID` in `format`; nil bytes are NULL. A type the
    /// client does not know comes back as its text (or, in binary, as bytes).
    public static func decode(_ bytes: [UInt8]?, typeOID: UInt32, format: PostgresFormat,
                              column: String) throws(PostgresError) -> PostgresValue {
        guard let bytes else { return .null }
        func bad(_ reason: String) -> PostgresError { .decoding(column: column, reason: reason) }
        if format == .text {
            guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("text is not UTF-8") }
            return try decodeText(text, typeOID: typeOID, bad: bad)
        }
        switch typeOID {
        case PostgresType.bool:
            guard bytes.count == 1 else { throw bad("bool of \(bytes.count) bytes") }
            return .bool(bytes[0] != 0)
        case PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.oid:
            let widths: [UInt32: Int] = [PostgresType.int2: 2, PostgresType.int4: 4, PostgresType.int8: 8, PostgresType.oid: 4]
            let width = widths[typeOID]!
            guard bytes.count == width else { throw bad("integer of \(bytes.count) bytes, expected \(width)") }
            let raw = integer(bytes)
            if typeOID == PostgresType.oid { return .int64(Int64(raw)) }
            // Sign-extend from the column's width.
            let shift = UInt64(64 - 8 * width)
            return .int64(Int64(bitPattern: raw << shift) >> shift)
        case PostgresType.float4:
            guard bytes.count == 4 else { throw bad("float4 of \(bytes.count) bytes") }
            return .float64(Double(Float(bitPattern: UInt32(integer(bytes)))))
        case PostgresType.float8:
            guard bytes.count == 8 else { throw bad("float8 of \(bytes.count) bytes") }
            return .float64(Double(bitPattern: integer(bytes)))
        case PostgresType.timestamptz:
            guard bytes.count == 8 else { throw bad("timestamptz of \(bytes.count) bytes") }
            let micros = Int64(bitPattern: integer(bytes))
            if micros == Int64.max { return .timestamptz(.distantFuture) }
            if micros == Int64.min { return .timestamptz(.distantPast) }
            return .timestamptz(Date(timeIntervalSince1970: (Double(micros) + Double(epochOffsetMicroseconds)) / 1_000_000))
        case PostgresType.bytea:
            return .bytea(bytes)
        case PostgresType.text, PostgresType.varchar, PostgresType.name, PostgresType.bpchar:
            guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("text is not UTF-8") }
            return .text(text)
        default:
            return .bytea(bytes)
        }
    }

    private static func decodeText(_ text: String, typeOID: UInt32,
                                   bad: (String) -> PostgresError) throws(PostgresError) -> PostgresValue {
        switch typeOID {
        case PostgresType.bool:
            guard text == "t" || text == "f" else { throw bad("bool \"\(text.prefix(8))\"") }
            return .bool(text == "t")
        case PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.oid:
            guard let v = Int64(text) else { throw bad("not an integer") }
            return .int64(v)
        case PostgresType.float4, PostgresType.float8:
            guard let v = Double(text) else { throw bad("not a number") }
            return .float64(v)
        case PostgresType.bytea:
            // The hex output format (bytea_output = hex, the default since 9.0): \x then pairs.
            let digits = Array(text.utf8)
            guard digits.count >= 2, digits[0] == UInt8(ascii: "\\"), digits[1] == UInt8(ascii: "x"), digits.count % 2 == 0 else {
                throw bad("bytea not in hex format")
            }
            var out: [UInt8] = []
            out.reserveCapacity(digits.count / 2 - 1)
            var index = 2
            while index < digits.count {
                guard let high = hexDigit(digits[index]), let low = hexDigit(digits[index + 1]) else { throw bad("bytea hex digit") }
                out.append(high << 4 | low)
                index += 2
            }
            return .bytea(out)
        default:
            return .text(text)
        }
    }

    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .float64(value) }
}
