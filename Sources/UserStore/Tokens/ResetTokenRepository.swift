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
/// let result = try database.write { tx in
///     try tx.resetTokens.redeem(tokenHash: SHA256.hex(submitted), portal: .secop, purpose: .passwordReset, now: now)
/// }
/// ```
///
/// A token works only where it was issued: every public look-up and redemption names the
/// portal (the token's user's portal) and the purpose it expects, and a token of another portal
/// or purpose is `.unknown` there and left untouched. Otherwise a SECOP II link would change the
/// password from Cajacopi's page, skipping Cajacopi's rules and notice, and the reverse.
public struct ResetTokenRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The token's status without using it: what a GET on the link shows (mail scanners
    /// prefetch links, so a GET must never redeem). A token of another portal or purpose is
    /// `.unknown`.
    public func lookup(tokenHash: String, portal: Portal, purpose: TokenPurpose, now: Date) throws -> ResetTokenLookup {
        try lookup(tokenHash: tokenHash, scope: TokenScope(portal: portal, purpose: purpose), now: now)
    }

    /// Any token by its hash, wherever it was issued: for the store's own tests only.
    func lookup(tokenHash: String, now: Date) throws -> ResetTokenLookup {
        try lookup(tokenHash: tokenHash, scope: nil, now: now)
    }

    private func lookup(tokenHash: String, scope: TokenScope?, now: Date) throws -> ResetTokenLookup {
        guard let token = try find(tokenHash: tokenHash, scope: scope) else { return .unknown }
        return ResetTokenLookup(status: token.status(at: now), token: token)
    }

    /// The row with this hash, only within `scope` when given.
    func find(tokenHash: String, scope: TokenScope? = nil) throws -> ResetToken? {
        try connection.queryOne("""
            SELECT \(ResetToken.columns) FROM reset_tokens
            WHERE token_hash = ?1 AND \(TokenScope.condition)
            """, [tokenHash, scope?.portal.rawValue, scope?.purpose.rawValue], ResetToken.init(row:))
    }
}

/// Where a token may be used: the portal of its user and its purpose. Nil means anywhere, which
/// only the store's own tests ask for.
struct TokenScope {
    var portal: Portal
    var purpose: TokenPurpose

    /// The SQL guard, with the portal as `?2` and the purpose as `?3` (NULL: no restriction).
    /// Users never change portal, so the user's portal is the token's.
    static let condition = """
        (CAST(?3 AS TEXT) IS NULL OR purpose = ?3) AND (CAST(?2 AS TEXT) IS NULL OR user_id IN (SELECT id FROM users WHERE portal = ?2))
        """
}

extension ResetTokenRepository where Access == WriteAccess {
    /// Marks older unused tokens of the same user and purpose superseded, inserts the new
    /// token's hash, and enqueues its email through `tx.outbox`, all in the caller's transaction:
    /// no token without its email, no email lost if the process dies after the commit. There is
    /// no way to issue a token without its email.
    ///
    /// Nothing is read back, so on PostgreSQL the statements travel with the COMMIT: a reset
    /// request costs one round trip (``StoreConnection/executeDeferred(_:_:)``). A clash (the
    /// same hash twice) is thrown by the transaction, not by this call.
    ///
    /// On PostgreSQL it first locks the user's row, so two requests for one user, or a request
    /// and a password change, take turns: "only the latest link works" then holds at any
    /// isolation, and callers run it in ``Database/writeLockingRows(_:)`` (READ COMMITTED).
    /// Under SERIALIZABLE the supersede's read of the live-token index would lock the page where
    /// the user's entries go, and the requests of two new users whose entries share a page
    /// would fail to serialize against each other.
    ///
    /// - Parameters:
    ///   - userID: whose token it is (and so which portal it works on).
    ///   - purpose: what redeeming it allows; only tokens of the same purpose are superseded.
    ///   - tokenHash: `SHA256.hex(token)`; the token itself is never stored.
    ///   - expiresAt: when the link stops working.
    ///   - now: the time of issue.
    ///   - email: the message carrying the link.
    public func issue(userID: Int64, purpose: TokenPurpose, tokenHash: String, expiresAt: Date,
                      now: Date, email: NewOutboxMessage) throws {
        if connection.dialect == .postgres {
            // SQLite has one writer at a time: the lock is its whole database's.
            try connection.executeDeferred("SELECT 1 FROM users WHERE id = ?1 FOR NO KEY UPDATE", [userID])
        }
        try connection.executeDeferred("""
            UPDATE reset_tokens SET superseded_at = ?3
            WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL AND superseded_at IS NULL
            """, [userID, purpose.rawValue, now])
        try connection.executeDeferred("""
            INSERT INTO reset_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
            """, [userID, purpose.rawValue, tokenHash, now, expiresAt])
        try transaction.outbox.enqueueDeferred(email, now: now)
    }

    /// Uses the token if it is valid at `now` on `portal` for `purpose`: single use, atomic. The
    /// UPDATE's guard (`used_at IS NULL AND superseded_at IS NULL AND expires_at > now`, and the
    /// scope) means two concurrent redemptions (threads or processes) can never both see
    /// `.valid`, and a token of another portal or purpose is `.unknown` and stays unused.
    public func redeem(tokenHash: String, portal: Portal, purpose: TokenPurpose, now: Date) throws -> ResetTokenLookup {
        try redeem(tokenHash: tokenHash, scope: TokenScope(portal: portal, purpose: purpose), now: now)
    }

    /// Any token by its hash, wherever it was issued: for the store's own tests only.
    func redeem(tokenHash: String, now: Date) throws -> ResetTokenLookup {
        try redeem(tokenHash: tokenHash, scope: nil, now: now)
    }

    private func redeem(tokenHash: String, scope: TokenScope?, now: Date) throws -> ResetTokenLookup {
        let changed = try connection.execute("""
            UPDATE reset_tokens SET used_at = ?4
            WHERE token_hash = ?1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > ?4
              AND \(TokenScope.condition)
            """, [tokenHash, scope?.portal.rawValue, scope?.purpose.rawValue, now])
        guard let token = try find(tokenHash: tokenHash, scope: scope) else { return .unknown }
        if changed == 1 {
            return ResetTokenLookup(status: .valid, token: token)
        }
        return ResetTokenLookup(status: token.status(at: now), token: token)
    }

    /// Redeems the token on `portal` for `purpose` and, only if it was valid, sets the user's new
    /// password, lifts the account's failure count and lock, forgets the rate-limit counters
    /// `clearingRateLimitKeys` (the login throttle of the account's identifier: a stranger's
    /// wrong guesses must not keep the owner out once they hold the new password) and drops
    /// every other token and session, in the caller's transaction: a crash can never burn the
    /// link without changing the password, nor change it without burning the link.
    /// `confirmation` builds the "your password was changed" email for the token's user, enqueued
    /// in the same transaction.
    public func redeemAndChangePassword(tokenHash: String, portal: Portal, purpose: TokenPurpose, newPasswordHash: String,
                                        now: Date, clearingRateLimitKeys: [String] = [],
                                        confirmation: ((ResetToken) -> NewOutboxMessage?)? = nil) throws -> ResetTokenLookup {
        try redeemAndChangePassword(redeemed: redeem(tokenHash: tokenHash, portal: portal, purpose: purpose, now: now),
                                    newPasswordHash: newPasswordHash, now: now, clearingRateLimitKeys: clearingRateLimitKeys,
                                    confirmation: confirmation)
    }

    /// Any token by its hash, wherever it was issued: for the store's own tests only.
    func redeemAndChangePassword(tokenHash: String, newPasswordHash: String, now: Date,
                                 confirmation: ((ResetToken) -> NewOutboxMessage?)? = nil) throws -> ResetTokenLookup {
        try redeemAndChangePassword(redeemed: redeem(tokenHash: tokenHash, now: now), newPasswordHash: newPasswordHash,
                                    now: now, clearingRateLimitKeys: [], confirmation: confirmation)
    }

    private func redeemAndChangePassword(redeemed result: ResetTokenLookup, newPasswordHash: String, now: Date,
                                         clearingRateLimitKeys: [String],
                                         confirmation: ((ResetToken) -> NewOutboxMessage?)?) throws -> ResetTokenLookup {
        guard result.status == .valid, let token = result.token else { return result }
        try transaction.users.setPassword(id: token.userID, newHash: newPasswordHash, mustChange: false, now: now)
        for key in clearingRateLimitKeys { try transaction.rateLimits.reset(key: key) }
        try dropAllTokensAndSessions(userID: token.userID, keepingSession: nil, now: now)
        if let message = confirmation?(token) { try transaction.outbox.enqueueDeferred(message, now: now) }
        return result
    }

    /// After a password change: every unused token of the user stops working (marked used, so an
    /// old link says so) and every session is deleted, except `keepingSession` (a session id
    /// hash) when the portal keeps the user who made the change logged in.
    public func dropAllTokensAndSessions(userID: Int64, keepingSession: String? = nil, now: Date) throws {
        try connection.execute(
            "UPDATE reset_tokens SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL AND superseded_at IS NULL",
            [userID, now])
        try connection.execute("DELETE FROM sessions WHERE user_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR id_hash <> ?2)", [userID, keepingSession])
    }

    /// Deletes tokens that expired before `cutoff`; returns how many.
    @discardableResult
    public func purge(expiredBefore cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM reset_tokens WHERE expires_at < ?1", [cutoff])
    }
}
