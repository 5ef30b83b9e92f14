import Foundation

/// One line of the audit log: who did what, when, from where. Never a password, token or full
/// reset URL (DESIGN.md, Rules): `detail` is for ids, reasons and counts.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    /// `soi`, `secop`, `cajacopi` or `system`.
    public var portal: String
    public var userID: Int64?
    /// A short, stable event name (`reset.requested`, `login.failed`, `outbox.dead`, ...).
    public var event: String
    public var clientAddress: String?
    public var detail: String

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
