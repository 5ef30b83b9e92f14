import Foundation

/// One line of the audit log: who did what, when, from where. Never a password, token or full
/// reset URL (DESIGN.md, Rules): `detail` is for ids, reasons and counts.
public struct AuditEntry: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// When it happened.
    public var at: Date
    /// `soi`, `secop`, `cajacopi` or `system`.
    public var portal: String
    /// The user concerned, if any.
    public var userID: Int64?
    /// A short, stable event name (`reset.requested`, `login.failed`, `outbox.dead`, ...).
    public var event: String
    /// The client's IP address, when the event came from a request.
    public var clientAddress: String?
    /// Ids, reasons and counts: never a secret.
    public var detail: String

    /// Creates a value from its fields.
    public init(id: Int64, at: Date, portal: String, userID: Int64?, event: String, clientAddress: String?, detail: String) {
        self.id = id
        self.at = at
        self.portal = portal
        self.userID = userID
        self.event = event
        self.clientAddress = clientAddress
        self.detail = detail
    }

    init(row: Row) throws {
        self.init(id: try row.int64(0), at: try row.date(1), portal: try row.string(2), userID: try row.optionalInt64(3),
                  event: try row.string(4), clientAddress: try row.optionalString(5), detail: try row.string(6))
    }
}
