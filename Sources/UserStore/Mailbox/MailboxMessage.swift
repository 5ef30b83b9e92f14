import Foundation

/// A message captured by the development mailbox (`/_correo`), instead of being sent.
public struct MailboxMessage: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The RFC 5322 mailbox the message is from.
    public var sender: String
    /// The bare address the message goes to.
    public var recipient: String
    /// The subject line (unencoded).
    public var subject: String
    /// The plain-text part.
    public var textBody: String
    /// The HTML part.
    public var htmlBody: String
    /// The full message as it would have gone over SMTP (headers and MIME parts).
    public var rawSource: String
    /// When the row was written.
    public var createdAt: Date

    /// Creates a value from its fields.
    public init(id: Int64, sender: String, recipient: String, subject: String, textBody: String,
                htmlBody: String, rawSource: String, createdAt: Date) {
        self.id = id
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.rawSource = rawSource
        self.createdAt = createdAt
    }

    static let columns = "id, sender, recipient, subject, text_body, html_body, raw_source, created_at"

    init(row: Row) throws {
        self.init(id: try row.int64(0), sender: try row.string(1), recipient: try row.string(2),
                  subject: try row.string(3), textBody: try row.string(4), htmlBody: try row.string(5),
                  rawSource: try row.string(6), createdAt: try row.date(7))
    }
}
