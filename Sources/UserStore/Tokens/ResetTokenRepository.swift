import Foundation

/// Reset tokens: issued together with their email, looked up, redeemed exactly once.
///
/// ```swift
/// let token = try SecureRandom.token()                 // sent to the user, never stored
/// try database.write { tx in
///     try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset,
///                              tokenHash: SHA256.hex(token), expiresAt: now + 1800, now: now,
///                              email: message)        // token row + outbox row, one transaction
/// }
/// let result = try database.write { tx in try tx.resetTokens.redeem(tokenHash: SHA256.hex(submitted), now: now) }
/// ```
public struct ResetTokenRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: Connection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The token's status without using it: what a GET on the link shows (mail scanners
    /// prefetch links, so a GET must never redeem).
    public func lookup(tokenHash: String, now: Date) throws -> ResetTokenLookup {
        guard let token = try find(tokenHash: tokenHash) else { return .unknown }
        return ResetTokenLookup(status: token.status(at: now), token: token)
    }

    func find(tokenHash: String) throws -> ResetToken? {
        try connection.queryOne("SELECT \(ResetToken.columns) FROM reset_tokens WHERE token_hash = ?1",
                                [tokenHash], ResetToken.init(row:))
    }
}

extension ResetTokenRepository where Access == WriteAccess {
    /// Marks older unused tokens of the same user and purpose superseded, inserts the new
    /// token's hash, and enqueues its email through `tx.outbox`, all in the caller's transaction:
    /// no token without its email, no email lost if the process dies after the commit. There is
    /// no way to issue a token without its email. Returns the token row's id.
    ///
    /// - Parameters:
    ///   - userID: whose token it is.
    ///   - purpose: what redeeming it allows; only tokens of the same purpose are superseded.
    ///   - tokenHash: `SHA256.hex(token)`; the token itself is never stored.
    ///   - expiresAt: when the link stops working.
    ///   - now: the time of issue.
    ///   - email: the message carrying the link.
    @discardableResult
    public func issue(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date,
                      now: Date, email: NewOutboxMessage) throws -> Int64 {
        try connection.execute("""
            UPDATE reset_tokens SET superseded_at = ?3
            WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL AND superseded_at IS NULL
            """, [userID, purpose.rawValue, now])
        try connection.execute("""
            INSERT INTO reset_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
            """, [userID, purpose.rawValue, tokenHash, now, expiresAt])
        let id = connection.lastInsertRowID
        _ = try transaction.outbox.enqueue(email, now: now)
        return id
    }

    /// Uses the token if it is valid at `now`: single use, atomic. The UPDATE's guard
    /// (`used_at IS NULL AND superseded_at IS NULL AND expires_at > now`) means two concurrent
    /// redemptions (threads or processes) can never both see `.valid`.
    public func redeem(tokenHash: String, now: Date) throws -> ResetTokenLookup {
        let changed = try connection.execute("""
            UPDATE reset_tokens SET used_at = ?2
            WHERE token_hash = ?1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > ?2
            """, [tokenHash, now])
        guard let token = try find(tokenHash: tokenHash) else { return .unknown }
        if changed == 1 {
            return ResetTokenLookup(status: .valid, token: token)
        }
        return ResetTokenLookup(status: token.status(at: now), token: token)
    }

    /// Redeems the token and, only if it was valid, sets the user's new password and drops every
    /// other token and session, in the caller's transaction: a crash can never burn the link
    /// without changing the password, nor change it without burning the link. `confirmation`
    /// builds the "your password was changed" email for the token's user, enqueued in the same
    /// transaction.
    public func redeemAndChangePassword(tokenHash: String, newPasswordHash: String, now: Date,
                                        confirmation: ((ResetToken) -> NewOutboxMessage?)? = nil) throws -> ResetTokenLookup {
        let result = try redeem(tokenHash: tokenHash, now: now)
        guard result.status == .valid, let token = result.token else { return result }
        try transaction.users.setPassword(id: token.userID, newHash: newPasswordHash, mustChange: false, now: now)
        try dropAllTokensAndSessions(userID: token.userID, keepingSession: nil, now: now)
        if let message = confirmation?(token) { _ = try transaction.outbox.enqueue(message, now: now) }
        return result
    }

    /// After a password change: every unused token of the user stops working (marked used, so an
    /// old link says so) and every session is deleted, except `keepingSession` (a session id
    /// hash) when the portal keeps the user who made the change logged in.
    public func dropAllTokensAndSessions(userID: Int64, keepingSession: String? = nil, now: Date) throws {
        try connection.execute(
            "UPDATE reset_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL AND superseded_at IS NULL",
            [userID, now])
        try connection.execute("DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR id_hash <> ?2)", [userID, keepingSession])
    }

    /// Deletes tokens that expired before `cutoff`; returns how many.
    @discardableResult
    public func purge(expiredBefore cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM reset_tokens WHERE expires_at < ?1", [cutoff])
    }
}
