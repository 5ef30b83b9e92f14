import ClaveLog
import Foundation

/// Tells every node's outbox worker, after a commit, that this node enqueued email: one
/// `NOTIFY` on ``OutboxNotifications/channel`` per burst, from a queue of its own, outside
/// any request's transaction (PostgreSQL only).
///
/// Why not in the enqueuing transaction (a trigger, or `pg_notify` beside the insert):
/// PostgreSQL serializes the commits of transactions that notify under one lock held through
/// their WAL flush, so every reset request in the cluster would wait for the one before it to
/// reach the disk, and concurrent commits could never share a flush. A `NOTIFY` in a
/// transaction of its own writes nothing to flush and holds that lock for microseconds.
///
/// The local worker needs none of this: the request wakes it in-process. The notification is
/// for the others (this node's worker is busy, or this node dies before sending), so it may be
/// coalesced and may be lost: every worker also looks for due rows at its idle interval.
public final class OutboxNotifier: @unchecked Sendable {
    private let database: Database
    private let logger: Logger
    /// One send at a time, in order; `pending` absorbs the requests made while one is queued.
    private let queue = DispatchQueue(label: "clave.outbox-notifier", qos: .utility)
    private let lock = NSLock()
    private var pending = false

    /// A notifier for `database`; nil for SQLite, which has no one to notify.
    public init?(database: Database, logger: Logger = Logger(label: "outbox")) {
        guard database.dialect == .postgres else { return nil }
        self.database = database
        self.logger = logger
    }

    /// Asks for a notification soon (after the commit that enqueued, which has returned). A
    /// request made while one is still queued joins it.
    public func notify() {
        let queued = lock.withLock { () -> Bool in
            defer { pending = true }
            return pending
        }
        guard !queued else { return }
        queue.async { [self] in
            lock.withLock { pending = false }
            do {
                try database.notify(channel: OutboxNotifications.channel)
            } catch {
                logger.warning("outbox notification not sent; other nodes find the rows at their next check",
                               ["error": "\(error)"])
            }
        }
    }

    /// Waits for the notifications already asked for (at shutdown).
    public func flush() {
        queue.sync {}
    }
}
