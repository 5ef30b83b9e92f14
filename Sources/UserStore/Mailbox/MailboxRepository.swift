import Foundation

/// The development mailbox: where mail goes in development mode, read by `/_correo` and by tests
/// that follow a reset link end to end. Production never mounts it.
public struct MailboxRepository: Sendable {
    /// The database this repository reads and writes.
    public let database: Database

    /// A repository over `database`. Cheap: make one wherever it is needed.
    public init(database: Database) { self.database = database }

    /// Stores one delivered message; returns its id.
    public func deliver(sender: String, recipient: String, subject: String, textBody: String,
                        htmlBody: String, rawSource: String, at: Date) throws -> Int64 {
        try database.write { connection in
            try connection.execute("""
                INSERT INTO mailbox (sender, recipient, subject, text_body, html_body, raw_source, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """, [sender, recipient, subject, textBody, htmlBody, rawSource, at])
            return connection.lastInsertRowID
        }
    }

    /// Messages newest first, only those to `recipient` (case-insensitive) when given.
    public func list(recipient: String?, limit: Int) throws -> [MailboxMessage] {
        try database.read { connection in
            try connection.query("""
                SELECT \(MailboxMessage.columns) FROM mailbox
                WHERE ?1 IS NULL OR recipient = ?1 COLLATE NOCASE
                ORDER BY id DESC LIMIT ?2
                """, [recipient, max(0, limit)], MailboxMessage.init(row:))
        }
    }

    /// One message by id.
    public func find(id: Int64) throws -> MailboxMessage? {
        try database.read { connection in
            try connection.queryOne("SELECT \(MailboxMessage.columns) FROM mailbox WHERE id = ?1", [id], MailboxMessage.init(row:))
        }
    }

    /// Empties the mailbox (`DELETE /_correo/api/mensajes`).
    public func deleteAll() throws {
        try database.write { connection in _ = try connection.execute("DELETE FROM mailbox") }
    }
}
