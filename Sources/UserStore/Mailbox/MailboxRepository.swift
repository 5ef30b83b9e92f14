import Foundation

/// The development mailbox: where mail goes in development mode, read by `/_correo` and by tests
/// that follow a reset link end to end. Production never mounts it.
public struct MailboxRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// Messages newest first, only those to `recipient` (case-insensitive) when given.
    public func list(recipient: String?, limit: Int) throws -> [MailboxMessage] {
        try connection.query("""
            SELECT \(MailboxMessage.columns) FROM mailbox
            WHERE CAST(?1 AS TEXT) IS NULL OR recipient = ?1 COLLATE NOCASE
            ORDER BY id DESC LIMIT ?2
            """, [recipient, max(0, limit)], MailboxMessage.init(row:))
    }

    /// One message by id.
    public func find(id: Int64) throws -> MailboxMessage? {
        try connection.queryOne("SELECT \(MailboxMessage.columns) FROM mailbox WHERE id = ?1", [id], MailboxMessage.init(row:))
    }
}

extension MailboxRepository where Access == WriteAccess {
    /// Stores one delivered message; returns its id.
    ///
    /// - Parameters:
    ///   - sender: the From header's value.
    ///   - recipient: the address it was sent to.
    ///   - subject: the decoded subject.
    ///   - textBody: the plain-text part.
    ///   - htmlBody: the HTML part.
    ///   - rawSource: the whole MIME message, as an SMTP server would have received it.
    ///   - at: when it was delivered.
    @discardableResult
    public func deliver(sender: String, recipient: String, subject: String, textBody: String,
                        htmlBody: String, rawSource: String, at: Date) throws -> Int64 {
        try connection.insert("""
            INSERT INTO mailbox (sender, recipient, subject, text_body, html_body, raw_source, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id
            """, [sender, recipient, subject, textBody, htmlBody, rawSource, at])
    }

    /// Empties the mailbox (`DELETE /_correo/api/mensajes`).
    public func deleteAll() throws {
        try connection.execute("DELETE FROM mailbox")
    }
}
