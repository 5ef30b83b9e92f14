import Foundation

/// Sessions by the hash of their id: create, find while active, touch, rotate at login, end.
public struct SessionRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The session if it exists and is active at `now`; expired sessions read as absent.
    public func find(idHash: String, now: Date) throws -> Session? {
        try connection.queryOne("SELECT \(Session.columns) FROM sessions WHERE id_hash = ?1", [idHash], Session.init(row:))
            .flatMap { $0.isActive(at: now) ? $0 : nil }
    }
}

extension SessionRepository where Access == WriteAccess {
    /// Stores a new session starting at `now`.
    @discardableResult
    public func create(idHash: String, portal: String, userID: Int64?, csrfSecret: String,
                       lifetime: SessionLifetime = .default, now: Date) throws -> Session {
        let session = Session(idHash: idHash, portal: portal, userID: userID, csrfSecret: csrfSecret, createdAt: now,
                              lastSeenAt: now, idleExpiresAt: now.addingTimeInterval(min(lifetime.idle, lifetime.absolute)),
                              absoluteExpiresAt: now.addingTimeInterval(lifetime.absolute))
        try connection.execute("""
            INSERT INTO sessions (id_hash, portal, user_id, csrf_secret, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)
            """, [idHash, portal, userID, csrfSecret, now, session.idleExpiresAt, session.absoluteExpiresAt])
        return session
    }

    /// Records activity: last seen now, idle expiry pushed to `now + idle` but never past the
    /// absolute expiry. Returns false when the session is gone or expired.
    @discardableResult
    public func touch(idHash: String, lifetime: SessionLifetime = .default, now: Date) throws -> Bool {
        try connection.execute("""
            UPDATE sessions SET last_seen_at = ?2, idle_expires_at = CASE WHEN ?3 < absolute_expires_at THEN ?3 ELSE absolute_expires_at END
            WHERE id_hash = ?1 AND idle_expires_at > ?2 AND absolute_expires_at > ?2
            """, [idHash, now, now.addingTimeInterval(lifetime.idle)]) == 1
    }

    /// At login (or privilege change): replaces the session's id and binds it to `userID`,
    /// keeping nothing an attacker could have planted (session fixation, OWASP). The CSRF secret
    /// is replaced too. Returns the new session. The old row goes and the new one comes in the
    /// same transaction.
    public func rotate(oldIDHash: String?, newIDHash: String, portal: String, userID: Int64?, csrfSecret: String,
                       lifetime: SessionLifetime = .default, now: Date) throws -> Session {
        if let oldIDHash { try end(idHash: oldIDHash) }
        return try create(idHash: newIDHash, portal: portal, userID: userID, csrfSecret: csrfSecret, lifetime: lifetime, now: now)
    }

    /// Ends one session (logout).
    public func end(idHash: String) throws {
        try connection.execute("DELETE FROM sessions WHERE id_hash = ?1", [idHash])
    }

    /// Ends every session of a user.
    public func endAll(userID: Int64) throws {
        try connection.execute("DELETE FROM sessions WHERE user_id = ?1", [userID])
    }

    /// Deletes sessions expired at `now`; returns how many.
    @discardableResult
    public func purgeExpired(now: Date) throws -> Int {
        try connection.execute("DELETE FROM sessions WHERE idle_expires_at <= ?1 OR absolute_expires_at <= ?1", [now])
    }
}
