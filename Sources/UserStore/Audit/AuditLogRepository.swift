import Foundation

/// The audit log: append-only records of security-relevant events.
///
/// An entry written in the same transaction as the change it describes commits or rolls back
/// with it (`tx.outbox.markDead` records `outbox.dead` this way).
public struct AuditLogRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// How many `event` entries `userID` has after `since`: one index look-up
    /// (`audit_log_user_event`), never a scan, because it runs inside every failed login of a
    /// real account and must cost the same however large the log grows.
    public func count(userID: Int64, event: String, since: Date) throws -> Int {
        try connection.queryOne(Self.countQuery, [userID, event, since]) { try $0.int(0) } ?? 0
    }

    /// The statement of ``count(userID:event:since:)`` (its tests read its query plan).
    static var countQuery: String { "SELECT COUNT(*) FROM audit_log WHERE user_id = ?1 AND event = ?2 AND at > ?3" }

    /// The newest entries first, optionally only those of one user or one event. For staff and
    /// tests: its optional filters cannot use an index, so no request path calls it.
    public func recent(userID: Int64? = nil, event: String? = nil, limit: Int = 100) throws -> [AuditEntry] {
        try connection.query("""
            SELECT id, at, portal, user_id, event, client_address, detail FROM audit_log
            WHERE (CAST(?1 AS BIGINT) IS NULL OR user_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR event = ?2)
            ORDER BY id DESC LIMIT ?3
            """, [userID, event, max(0, limit)], AuditEntry.init(row:))
    }
}

extension AuditLogRepository where Access == WriteAccess {
    /// Appends one entry; returns its id. `detail` holds ids, reasons and counts: never a
    /// password, token or reset URL.
    ///
    /// - Parameters:
    ///   - portal: `secop`, `soi`, `cajacopi` or `system`.
    ///   - userID: the user concerned, when known.
    ///   - event: a dotted name (`login.locked`).
    ///   - clientAddress: the request's address, when there was a request.
    ///   - detail: free text without secrets.
    ///   - at: when it happened.
    @discardableResult
    public func record(portal: String, userID: Int64?, event: String, clientAddress: String? = nil,
                       detail: String = "", at: Date) throws -> Int64 {
        try connection.insert(Self.insertion + " RETURNING id", [at, portal, userID, event, clientAddress, detail])
    }

    /// ``record(portal:userID:event:clientAddress:detail:at:)`` without reading the id back: on
    /// PostgreSQL the INSERT travels with the COMMIT, so an audit entry of its own costs one
    /// round trip (``StoreConnection/executeDeferred(_:_:)``).
    public func recordDeferred(portal: String, userID: Int64?, event: String, clientAddress: String? = nil,
                               detail: String = "", at: Date) throws(StoreError) {
        try connection.executeDeferred(Self.insertion, [at, portal, userID, event, clientAddress, detail])
    }

    private static let insertion = "INSERT INTO audit_log (at, portal, user_id, event, client_address, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"

    /// Deletes entries older than `cutoff` (the retention of ``PurgePolicy/auditRetention``).
    /// Returns how many.
    public func purge(before cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM audit_log WHERE at < ?1", [cutoff])
    }
}
