import Foundation

/// Where an outbox row is in its delivery.
///
/// `pending` → (claimed) `sending` → `sent`; a failed attempt goes back to `pending` with a later
/// `nextAttemptAt`; after the last attempt, `dead` (staff can `retry`).
public enum OutboxState: String, Sendable, CaseIterable {
    case pending, sending, sent, dead
}

/// An email to be sent, as the flows write it in the same transaction as the token it carries.
public struct NewOutboxMessage: Sendable, Equatable {
    /// `soi`, `secop`, `cajacopi` or `system`.
    public var portal: String
    /// RFC 5322 mailbox, e.g. `SECOP II <registro@secop.example>`.
    public var sender: String
    /// A bare address.
    public var recipient: String
    /// The subject line (unencoded).
    public var subject: String
    /// The plain-text part.
    public var textBody: String
    /// The HTML part.
    public var htmlBody: String

    /// Creates a value from its fields.
    public init(portal: String, sender: String, recipient: String, subject: String, textBody: String, htmlBody: String) {
        self.portal = portal
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
    }
}

/// An outbox row, as the delivery worker and `clave outbox list` see it.
public struct OutboxMessage: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The portal name (`soi`, `secop`, `cajacopi`, or `system`).
    public var portal: String
    /// The RFC 5322 mailbox the message is from.
    public var sender: String
    /// The bare address the message goes to.
    public var recipient: String
    /// The subject line (unencoded).
    public var subject: String
    /// Empty once sent: bodies are scrubbed so no link or temporary password stays stored.
    public var textBody: String
    /// The HTML part.
    public var htmlBody: String
    /// Where the message is in its delivery.
    public var state: OutboxState
    /// Delivery attempts that failed so far.
    public var attempts: Int
    /// When the worker may (re)try: due time, or the end of a claim's lease.
    public var nextAttemptAt: Date
    /// When the row was written.
    public var createdAt: Date
    /// When the SMTP server accepted the message.
    public var sentAt: Date?
    /// Why the last attempt failed (the SMTP reply or the network error).
    public var lastError: String?

    /// Creates a value from its fields.
    public init(id: Int64, portal: String, sender: String, recipient: String, subject: String,
                textBody: String, htmlBody: String, state: OutboxState, attempts: Int,
                nextAttemptAt: Date, createdAt: Date, sentAt: Date?, lastError: String?) {
        self.id = id
        self.portal = portal
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.lastError = lastError
    }

    /// The columns `init(row:)` reads, in order.
    static let columns = "id, portal, sender, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, created_at, sent_at, last_error"

    init(row: Row) throws {
        let stateText = try row.string(7)
        guard let state = OutboxState(rawValue: stateText) else {
            throw StoreError.invalidValue(column: "state", reason: "unknown outbox state '\(stateText)'")
        }
        self.init(
            id: try row.int64(0), portal: try row.string(1), sender: try row.string(2),
            recipient: try row.string(3), subject: try row.string(4), textBody: try row.string(5),
            htmlBody: try row.string(6), state: state, attempts: try row.int(8),
            nextAttemptAt: try row.date(9), createdAt: try row.date(10), sentAt: try row.optionalDate(11),
            lastError: try row.optionalString(12))
    }
}
