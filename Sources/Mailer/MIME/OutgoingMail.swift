import Foundation

/// One message to deliver: envelope, subject and the two bodies, before MIME encoding.
///
/// The worker builds one from an outbox row; `MIMEMessage` turns it into the bytes sent.
/// `id` ties a delivery result back to its row.
public struct OutgoingMail: Sendable, Equatable {
    /// The caller's identifier (the outbox row id), echoed in `DeliveryResult`.
    public var id: Int64
    /// The sender: envelope MAIL FROM and the From header.
    public var from: MailAddress
    /// The one recipient: RCPT TO and the To header.
    public var to: MailAddress
    /// Any Unicode text without CR, LF or NUL; encoded per RFC 2047 when not plain ASCII.
    public var subject: String
    /// The `text/plain` part.
    public var textBody: String
    /// The `text/html` part.
    public var htmlBody: String

    /// Refuses a subject with CR, LF or NUL, which could forge headers.
    public init(id: Int64 = 0, from: MailAddress, to: MailAddress, subject: String,
                textBody: String, htmlBody: String) throws(MailError) {
        if subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw .headerInjection(field: "Subject")
        }
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
    }
}
