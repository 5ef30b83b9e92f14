import Foundation

/// The messages not delivered yet, as readiness reports them.
public struct OutboxBacklog: Sendable, Equatable {
    /// Messages pending or being sent.
    public var waiting: Int
    /// When the oldest of them was written; nil when none waits.
    public var oldestSince: Date?
    /// The last delivery error of the oldest, if it has had an attempt.
    public var lastError: String?

    /// Creates a value from its fields.
    public init(waiting: Int, oldestSince: Date?, lastError: String?) {
        self.waiting = waiting
        self.oldestSince = oldestSince
        self.lastError = lastError
    }
}

extension OutboxRepository {
    /// What waits to be delivered: two look-ups on the `(state, next_attempt_at)` index, never a
    /// scan of the delivered rows, so `/readyz` stays cheap however much mail went out.
    public func backlog() throws -> OutboxBacklog {
        let waiting = try connection.queryOne(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')", [], { try $0.int(0) }) ?? 0
        guard waiting > 0 else { return OutboxBacklog(waiting: 0, oldestSince: nil, lastError: nil) }
        let oldest = try connection.queryOne("""
            SELECT created_at, last_error FROM outbox WHERE state IN ('pending', 'sending') ORDER BY created_at, id LIMIT 1
            """, [], { (try $0.date(0), try $0.optionalString(1)) })
        return OutboxBacklog(waiting: waiting, oldestSince: oldest?.0, lastError: oldest?.1)
    }
}
