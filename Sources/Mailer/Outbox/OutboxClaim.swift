import ClaveLog
import ClaveTime
import Foundation
import UserStore

/// One batch's claim on its outbox rows: the claim token, the rows it still holds, and the
/// thread that renews their short lease while the batch runs.
///
/// The lease is short (`OutboxWorkerConfiguration.lease`, seconds) so that rows claimed by a
/// process that died are taken back quickly; a living worker keeps its rows by renewing the
/// lease after every recorded outcome and, for a message the server is slow to answer, every
/// `leaseRenewal` seconds from this thread. A renewal answers which rows are still ours: a row
/// another process claimed after our lease lapsed (we were stalled) is dropped from `held`, and
/// the transport skips it instead of sending it twice.
///
///     claimed ──renew (outcome or timer)──▶ held ──outcome recorded──▶ released
///        │                                   │
///        └──────lease lapsed, claimed by another process──▶ lost (never sent by us)
final class OutboxClaim: @unchecked Sendable {
    // `held` and `stopped` are guarded by `condition`; the rest is immutable.
    /// The token written into the claimed rows' `claim_token`.
    let token: String
    private let lease: TimeInterval
    private let condition = NSCondition()
    private var held: Set<Int64>
    private var stopped = false

    init(token: String, ids: [Int64], lease: TimeInterval) {
        self.token = token
        self.held = Set(ids)
        self.lease = lease
    }

    /// Whether row `id` is still ours to send.
    func holds(_ id: Int64) -> Bool {
        condition.withLock { held.contains(id) }
    }

    /// Extends the lease of the rows still ours, inside the caller's write transaction.
    func renew(in outbox: OutboxRepository<WriteAccess>, now: Date) throws {
        let stillOurs = try outbox.renewLease(token: token, until: now.addingTimeInterval(lease))
        // A row leaves `held` for good (recorded, or lost to another claim): renewals that
        // finish out of order must never bring one back.
        condition.withLock { held.formIntersection(stillOurs) }
    }

    /// Starts the thread that renews the lease every `interval` (real) seconds until `finish()`.
    func keepAlive(every interval: TimeInterval, database: Database, clock: any ClaveClock, log: Logger) {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                if !stopped { _ = condition.wait(until: Date().addingTimeInterval(interval)) }
                let done = stopped
                condition.unlock()
                if done { return }
                do {
                    try database.writeLockingRows { tx in try renew(in: tx.outbox, now: clock.now()) }
                } catch {
                    // The next renewal (or outcome) tries again; the lease covers a few misses.
                    log.warning("outbox lease renewal failed", ["error": "\(error)"])
                }
            }
        }
        thread.name = "outbox-lease"
        thread.start()
    }

    /// Stops the renewal thread (the batch is over).
    func finish() {
        condition.withLock {
            stopped = true
            condition.signal()
        }
    }
}
