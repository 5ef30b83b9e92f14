import Foundation

/// The audit log: append-only records of security-relevant events.
public struct AuditLogRepository: Sendable {
    /// The database this repository reads and writes.
    public let database: Database

    /// A repository over `database`. Cheap: make one wherever it is needed.
    public init(database: Database) { self.database = database }

    /// Appends one entry in its own transaction; returns its id.
    @discardableResult
    public func record(portal: String, userID: Int64?, event: String, clientAddress: String? = nil,
                       detail: String = "", at: Date) throws -> Int64 {
        try database.write { connection in
            try AuditLogRepository.record(in: connection, portal: portal, userID: userID, event: event,
                                          clientAddress: clientAddress, detail: detail, at: at)
        }
    }

    /// Appends one entry inside a transaction someone else opened, so the audit row commits or
    /// rolls back with the change it describes.
    static func record(in connection: Connection, portal: String, userID: Int64?, event: String,
                       clientAddress: String?, detail: String, at: Date) throws -> Int64 {
        try connection.execute(
            "INSERT INTO audit_log (at, portal, user_id, event, client_address, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            [at, portal, userID, event, clientAddress, detail])
        return connection.lastInsertRowID
    }

    /// The newest entries first, optionally only those of one user or one event.
    public func recent(userID: Int64? = nil, event: String? = nil, limit: Int = 100) throws -> [AuditEntry] {
        try database.read { connection in
            try connection.query("""
                SELECT id, at, portal, user_id, event, client_address, detail FROM audit_log
                WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR event = ?2)
                ORDER BY id DESC LIMIT ?3
                """, [userID, event, max(0, limit)], AuditEntry.init(row:))
        }
    }
}
