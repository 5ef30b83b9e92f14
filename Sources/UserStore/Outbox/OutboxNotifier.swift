import ClaveLog
import Foundation

/// Tells every node's outbox worker, after a commit, that this node enqueued email: one
/// `NOTIFY` on ``OutboxNotifications/channel`` per burst, from a thread of its own, outside
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
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private var running = false

    /// A notifier for `database`; nil for SQLite, which has no one to notify.
    public init?(database: Database, logger: Logger = Logger(label: "outbox")) {
        guard database.dialect == .postgres else { return nil }
        self.database = database
        self.logger = logger
    }

    /// Asks for a notification soon (after the commit that enqueued, which has returned).
    public func notify() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Starts the thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running, !stopping else { return }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = "outbox-notifier"
        thread.start()
    }

    /// Stops the thread after a notification still pending.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(5)
        while running, condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while !pending && !stopping { condition.wait() }
            let send = pending, done = stopping
            pending = false
            condition.unlock()
            if send {
                do {
                    try database.notify(channel: OutboxNotifications.channel)
                } catch {
                    logger.warning("outbox notification not sent; other nodes find the rows at their next check",
                                   ["error": "\(error)"])
                }
            }
            if done { break }
        }
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
