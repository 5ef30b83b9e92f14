/// An ErrorResponse or NoticeResponse: the server's fields by their one-byte codes
/// (PostgreSQL docs 55.8), with the ones callers act on as properties.
public struct PostgresServerError: Sendable, Equatable, CustomStringConvertible {
    /// Every field the server sent, by code (`C` SQLSTATE, `M` message, `D` detail, ...).
    public var fields: [UInt8: String]

    public init(fields: [UInt8: String]) { self.fields = fields }

    private func field(_ code: Unicode.Scalar) -> String? { fields[UInt8(ascii: code)] }

    /// ERROR, FATAL or PANIC (WARNING, NOTICE, ... in a notice), not localized (`V`).
    public var severity: String { field("V") ?? field("S") ?? "ERROR" }
    /// The five-character SQLSTATE code (`C`).
    public var sqlState: SQLState { SQLState(field("C") ?? "XX000") }
    /// The primary message (`M`).
    public var message: String { field("M") ?? "" }
    public var detail: String? { field("D") }
    public var hint: String? { field("H") }
    public var schema: String? { field("s") }
    public var table: String? { field("t") }
    public var column: String? { field("c") }
    /// The constraint a violation broke (`n`): which unique index, for example.
    public var constraint: String? { field("n") }

    /// `ERROR 23505: duplicate key value ... (constraint users_email_key)`: no detail, since the
    /// detail of a unique violation quotes the row's values (an email address, a token hash).
    public var description: String {
        var text = "\(severity) \(sqlState.code): \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
