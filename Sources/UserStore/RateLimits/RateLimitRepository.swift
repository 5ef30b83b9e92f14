import Foundation

/// The outcome of one rate-limited attempt.
public struct RateLimitDecision: Sendable, Equatable {
    /// Whether the attempt may go ahead.
    public var allowed: Bool
    /// When refused: seconds until the window ends (for `Retry-After`). Zero when allowed.
    public var retryAfter: TimeInterval
    /// Attempts left in this window after this one.
    public var remaining: Int

    /// Creates a value from its fields.
    public init(allowed: Bool, retryAfter: TimeInterval, remaining: Int) {
        self.allowed = allowed
        self.retryAfter = retryAfter
        self.remaining = remaining
    }
}

/// Fixed-window counters per key (`ip:203.0.113.9:secop-forgot`, `user:secop:ana`), shared by
/// every process using the file. Every method writes: counting is a read-modify-write.
public struct RateLimitRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }
}

extension RateLimitRepository where Access == WriteAccess {
    /// Counts one attempt for `key` in a window of `window` seconds allowing `limit` attempts,
    /// atomically (inside the write transaction). A refused attempt does not extend the window,
    /// so a client that keeps trying is let in again when the window ends.
    public func hit(key: String, window: TimeInterval, limit: Int, now: Date) throws -> RateLimitDecision {
        let current = try connection.queryOne("SELECT window_start, count FROM rate_limits WHERE key = ?1", [key]) {
            (try $0.date(0), try $0.int(1))
        }
        if let (start, count) = current, start.addingTimeInterval(window) > now {
            guard count < limit else {
                return RateLimitDecision(allowed: false, retryAfter: start.addingTimeInterval(window).timeIntervalSince(now), remaining: 0)
            }
            // Nothing is read back: on PostgreSQL the write travels with the COMMIT.
            try connection.executeDeferred("UPDATE rate_limits SET count = count + 1 WHERE key = ?1", [key])
            return RateLimitDecision(allowed: true, retryAfter: 0, remaining: limit - count - 1)
        }
        guard limit > 0 else { return RateLimitDecision(allowed: false, retryAfter: window, remaining: 0) }
        try connection.executeDeferred("""
            INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
            ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = 1
            """, [key, now])
        return RateLimitDecision(allowed: true, retryAfter: 0, remaining: limit - 1)
    }

    /// Forgets the counter for `key` (after a successful login, for instance).
    public func reset(key: String) throws {
        try connection.execute("DELETE FROM rate_limits WHERE key = ?1", [key])
    }

    /// Deletes counters whose window started before `cutoff`; returns how many.
    @discardableResult
    public func purge(before cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM rate_limits WHERE window_start < ?1", [cutoff])
    }
}
