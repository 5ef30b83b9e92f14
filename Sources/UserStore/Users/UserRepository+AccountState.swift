import Foundation

extension UserRepository where Access == WriteAccess {
    /// Counts a failed login (consecutive failures since the last success, shown by `clave users
    /// show`). It never locks: a stranger's wrong guesses must not keep the owner out, so
    /// guessing is slowed by the login throttle (`tx.loginThrottles`) instead, which the owner's
    /// trusted browser and every reset get through. Returns the updated user.
    @discardableResult
    public func recordFailedLogin(id: Int64, now: Date) throws -> User {
        try requireChange(try connection.execute(
            "UPDATE users SET failed_logins = failed_logins + 1, updated_at = ?2 WHERE id = ?1", [id, now]), id: id)
        return try require(id: id)
    }

    /// Clears the failure count after a successful login with the current password, and drops
    /// a pending temporary password: the owner has just shown they know the password, so one
    /// that anybody who knows their data could have asked for must not stay usable in the mailbox.
    /// The deadline of a promoted temporary password (no pending hash) is kept: logging in with
    /// it must not make it a long-term password.
    public func recordSuccessfulLogin(id: Int64, now: Date) throws {
        // SQLite evaluates every expression against the row before the update.
        try requireChange(try connection.execute("""
            UPDATE users SET failed_logins = 0, updated_at = ?2, temporary_password_hash = NULL,
                temporary_password_expires_at = CASE WHEN temporary_password_hash IS NULL
                    THEN temporary_password_expires_at ELSE NULL END
            WHERE id = ?1
            """, [id, now]), id: id)
    }

    /// Refuses logins until `until` (staff action: `clave users lock`).
    public func lock(id: Int64, until: Date, now: Date) throws {
        try requireChange(try connection.execute(
            "UPDATE users SET locked_until = ?2, updated_at = ?3 WHERE id = ?1", [id, until, now]), id: id)
    }

    /// Lifts a lock, forgets failed logins and clears the account's login throttles.
    public func unlock(id: Int64, now: Date) throws {
        try requireChange(try connection.execute(
            "UPDATE users SET locked_until = NULL, failed_logins = 0, updated_at = ?2 WHERE id = ?1", [id, now]), id: id)
        try transaction.loginThrottles.clear(userID: id)
    }

    /// Sets a new password chosen by the user (or staff) and, in the same transaction, clears any
    /// temporary password and drops every reset token and session of the user (DESIGN.md, Rules)
    /// except `keepingSession` (the hash of the session that made the change, when the portal
    /// keeps the user logged in, as SOI's forced "Cambio de Clave" does). A `confirmation`
    /// email (Cajacopi sends one) is enqueued in the same transaction.
    ///
    /// - Parameters:
    ///   - id: the user.
    ///   - newHash: the new password's hash.
    ///   - mustChange: whether the next login forces another change (staff-set passwords).
    ///   - keepingSession: the session id hash to keep, or nil to end every session.
    ///   - confirmation: the "your password was changed" email, or nil.
    ///   - now: the time of the change.
    public func changePassword(id: Int64, newHash: String, mustChange: Bool = false, keepingSession: String? = nil,
                               confirmation: NewOutboxMessage? = nil, now: Date) throws {
        try setPassword(id: id, newHash: newHash, mustChange: mustChange, now: now)
        try transaction.resetTokens.dropAllTokensAndSessions(userID: id, keepingSession: keepingSession, now: now)
        if let confirmation { try transaction.outbox.enqueueDeferred(confirmation, now: now) }
    }

    /// The password columns of a change; `changePassword` and `redeemAndChangePassword` add the
    /// tokens, sessions and email that must go with it. The failure count and any lock go too:
    /// they guarded the old password, and a stranger's wrong guesses must not keep the owner,
    /// who has just proved control of the account, out of it with the new one. So do the
    /// account's login throttles.
    func setPassword(id: Int64, newHash: String, mustChange: Bool, now: Date) throws {
        try requireChange(try connection.execute("""
            UPDATE users SET password_hash = ?2, must_change_password = ?3, temporary_password_hash = NULL,
                temporary_password_expires_at = NULL, failed_logins = 0, locked_until = NULL, updated_at = ?4
            WHERE id = ?1
            """, [id, newHash, mustChange, now]), id: id)
        try transaction.loginThrottles.clear(userID: id)
    }

    /// Replaces the hash of the same password with one at the current cost (after a login, when
    /// `PasswordHasher.needsRehash` says so). Sessions and tokens are untouched.
    public func rehashPassword(id: Int64, newHash: String, now: Date) throws {
        try requireChange(try connection.execute(
            "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1", [id, newHash, now]), id: id)
    }

    /// SOI "forgot password": stores a temporary password beside the current one and enqueues
    /// its email through `tx.outbox`, in the same transaction. The current password keeps working
    /// until the temporary one is used (`promoteTemporaryPassword`). Returns the outbox id.
    ///
    /// When the current password is itself a promoted temporary one (``User/promotedPasswordDeadline``),
    /// the new one replaces it at once, as promoted, with the new deadline: only the newest
    /// emailed password works, and the one column holds one deadline (none is ever extended).
    @discardableResult
    public func setTemporaryPassword(id: Int64, hash: String, expiresAt: Date, now: Date, email: NewOutboxMessage) throws -> Int64 {
        try requireChange(try connection.execute("""
            UPDATE users SET
                password_hash = CASE WHEN \(Self.promoted) THEN ?2 ELSE password_hash END,
                temporary_password_hash = CASE WHEN \(Self.promoted) THEN NULL ELSE ?2 END,
                temporary_password_expires_at = ?3, updated_at = ?4
            WHERE id = ?1
            """, [id, hash, expiresAt, now]), id: id)
        return try transaction.outbox.enqueue(email, now: now)
    }

    /// After a login with the temporary password: it becomes the password, the old one stops
    /// working, and the user must change it before anything else. The failure count, any lock
    /// and the account's login throttles are lifted: the temporary password proves control of
    /// the registered email, as a reset link does. Its expiry stays, as the deadline of the promoted password
    /// (``User/promotedPasswordDeadline``): an abandoned "Cambio de Clave" must not leave an
    /// emailed password working for ever. Returns false when the temporary password was gone or
    /// expired by then (another request used it first).
    public func promoteTemporaryPassword(id: Int64, now: Date) throws -> Bool {
        guard try connection.execute("""
            UPDATE users SET password_hash = temporary_password_hash, temporary_password_hash = NULL,
                must_change_password = 1, failed_logins = 0,
                locked_until = NULL, updated_at = ?2
            WHERE id = ?1 AND temporary_password_hash IS NOT NULL AND temporary_password_expires_at > ?2
            """, [id, now]) == 1 else { return false }
        try transaction.loginThrottles.clear(userID: id)
        return true
    }

    /// SQL true when the row's current password is a promoted temporary one (the store's side
    /// of ``User/promotedPasswordDeadline``).
    static var promoted: String { "(must_change_password = 1 AND temporary_password_hash IS NULL AND temporary_password_expires_at IS NOT NULL)" }

    private func requireChange(_ changed: Int, id: Int64) throws {
        if changed == 0 { throw StoreError.notFound("user \(id)") }
    }
}
