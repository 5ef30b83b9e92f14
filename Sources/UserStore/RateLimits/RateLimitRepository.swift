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
/// every process using the store. Every method writes: counting is a read-modify-write, done in
/// one statement.
public struct RateLimitRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }
}

extension RateLimitRepository where Access == WriteAccess {
    /// Counts one attempt for `key` in a window of `window` seconds allowing `limit` attempts,
    /// atomically (inside the write transaction). A refused attempt does not extend the window,
    /// so a client that keeps trying is let in again when the window ends.
    ///
    /// One statement that reads nothing before it writes: an upsert whose count stops at
    /// `limit + 1`, so the count it returns says whether this attempt got in. (A SELECT first
    /// would, on PostgreSQL, lock for SERIALIZABLE the index page where a new key would go, and
    /// two requests of different clients landing on one page would fail to serialize.)
    public func hit(key: String, window: TimeInterval, limit: Int, now: Date) throws -> RateLimitDecision {
        guard limit > 0 else { return RateLimitDecision(allowed: false, retryAfter: window, remaining: 0) }
        let expired = "rate_limits.window_start + ?3 <= ?2"
        let counted = try connection.queryOne("""
            INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
            ON CONFLICT (key) DO UPDATE SET
                window_start = CASE WHEN \(expired) THEN excluded.window_start ELSE rate_limits.window_start END,
                count = CASE WHEN \(expired) THEN 1
                             WHEN rate_limits.count <= ?4 THEN rate_limits.count + 1
                             ELSE rate_limits.count END
            RETURNING window_start, count
            """, [key, now, window, limit]) { (try $0.date(0), try $0.int(1)) }
        guard let (start, count) = counted else { throw StoreError.notFound("the rate-limit counter \(key)") }
        guard count <= limit else {
            return RateLimitDecision(allowed: false, retryAfter: max(0, start.addingTimeInterval(window).timeIntervalSince(now)), remaining: 0)
        }
        return RateLimitDecision(allowed: true, retryAfter: 0, remaining: limit - count)
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
