/// Rewrites SQLite's numbered parameters (`?1`, `?2`) as PostgreSQL's (`$1`, `$2`), so the
/// store's repositories keep one SQL text for both engines where the dialects agree.
///
/// Only outside string literals (`'?1'`), quoted identifiers (`"?1"`) and comments (`-- ?1`,
/// `/* ?1 */`). A bare `?` has no PostgreSQL equivalent that keeps its meaning (SQLite numbers
/// it after the largest so far) and is refused, as is an unterminated literal or comment.
public enum PostgresPlaceholders {
    public static func fromSQLite(_ sql: String) throws(PostgresError) -> String {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func copy(until end: Int) { out.append(contentsOf: bytes[i..<end]); i = end }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // A quote doubled inside is an escaped quote, not the end.
                let quote = bytes[i]
                var j = i + 1
                while true {
                    guard j < bytes.count else { throw .invalidArgument("unterminated quoted text in SQL") }
                    if bytes[j] == quote {
                        if j + 1 < bytes.count && bytes[j + 1] == quote { j += 2; continue }
                        break
                    }
                    j += 1
                }
                copy(until: j + 1)
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                copy(until: bytes[i...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count)
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                var j = i + 2
                while j + 1 < bytes.count && !(bytes[j] == UInt8(ascii: "*") && bytes[j + 1] == UInt8(ascii: "/")) { j += 1 }
                guard j + 1 < bytes.count else { throw .invalidArgument("unterminated comment in SQL") }
                copy(until: j + 2)
            case UInt8(ascii: "?"):
                var j = i + 1
                while j < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) { j += 1 }
                guard j > i + 1 else { throw .invalidArgument("a bare ? parameter; number it (?1, ?2, ...)") }
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: bytes[(i + 1)..<j])
                i = j
            default:
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
