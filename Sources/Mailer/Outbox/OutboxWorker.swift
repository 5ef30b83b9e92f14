import ClaveLog
import ClaveTime
import Foundation
import UserStore

/// The background thread that empties the outbox: it claims due rows, hands them to the
/// transport in batches, and records each outcome as soon as the server has answered for it.
///
/// Each step (claim a batch, record one outcome) is its own short `database.write`, so a slow
/// SMTP server never holds the write lock, and an outcome is in the table before the next
/// message of the batch starts: a crash re-sends at most the message that was in flight.
///
/// - delivered: `markSent`, which also scrubs the bodies (no link or password stays stored);
///   in the same write, rows that waited for an unreachable server are brought forward
///   (`bringForwardWaitingForServer`): after an outage the backlog goes at once;
/// - temporary failure: `markRetry` with exponential back-off and jitter (`RetryPolicy`), or
///   `markDead` once the attempts are used up;
/// - permanent failure: `markDead` with the reason (the store writes the audit entry).
///
/// All state lives in the table, so a restart resumes where the last process stopped. A batch's
/// rows are held by a short lease that the living worker renews (`OutboxClaim`): a row claimed
/// by a process that died is claimed again seconds later, when its lease lapses (delivery is
/// at-least-once: the message in flight at the crash may go out twice, which is better than
/// never). `wake()` starts a batch at once after an enqueue; `stop(drainWithin:)` delivers what
/// is due before returning.
public final class OutboxWorker: @unchecked Sendable {
    // Mutable state (`running`, `wakeRequested`, `stopDeadline`, `thread`) is guarded by
    // `condition`; the rest is immutable.
    /// The database whose outbox table the worker claims rows from and records outcomes in.
    public let database: Database
    /// Where messages go: SMTP or the development mailbox.
    public let transport: any MailTransport
    /// Batch size, lease, idle interval and retry policy.
    public let configuration: OutboxWorkerConfiguration
    /// Failed attempts by reason since start (`clave_mail_delivery_failures_total`).
    public let failures = DeliveryFailures()
    private let log: Logger
    private let clock: any ClaveClock
    private let random: @Sendable () -> Double
    private let condition = NSCondition()
    private var running = false
    private var wakeRequested = false
    private var stopDeadline: Date?
    /// A server that would not open a session (`ServerTrouble`), under `troubleLock`: the
    /// worker's thread and callers of `deliverBatch()` both touch it.
    private var trouble = ServerTrouble()
    private let troubleLock = NSLock()
    private let finished = DispatchSemaphore(value: 0)

    /// `clock` and `random` are the time and the jitter source, injectable so tests move time by
    /// hand (`ManualClock`) and fix the jitter.
    public init(database: Database, transport: any MailTransport,
                configuration: OutboxWorkerConfiguration = OutboxWorkerConfiguration(),
                logger: Logger = Logger(label: "outbox"),
                clock: any ClaveClock = SystemClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.database = database
        self.transport = transport
        self.configuration = configuration
        self.log = logger
        self.clock = clock
        self.random = random
    }

    /// Starts the thread. Calling it twice does nothing.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else { return }
        running = true
        stopDeadline = nil
        let thread = Thread { [self] in self.loop() }
        thread.name = "outbox-worker"
        thread.start()
    }

    /// Asks for a batch now (after an enqueue) instead of at the next idle check.
    public func wake() {
        condition.lock()
        wakeRequested = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread after delivering what is due, waiting at most `seconds` for that.
    /// Returns whether the thread ended in time; rows not reached stay in the table for the
    /// next start.
    @discardableResult
    public func stop(drainWithin seconds: TimeInterval) -> Bool {
        condition.lock()
        guard running, stopDeadline == nil else {
            condition.unlock()
            return !running
        }
        stopDeadline = clock.now().addingTimeInterval(seconds)
        condition.signal()
        condition.unlock()
        // The transport's own timeouts bound a batch in flight; give it a little beyond.
        return finished.wait(timeout: .now() + seconds + 1) == .success
    }

    /// Claims and delivers one batch now, on the caller's thread. Returns how many rows it
    /// claimed (0 when nothing was due). The thread uses it; so do `clave outbox deliver` and tests.
    @discardableResult
    public func deliverBatch() -> Int {
        let started = clock.now()
        // While the server refuses sessions, a new message waits for the next try like the rest.
        guard troubleLock.withLock({ trouble.allowsSession(at: started) }) else { return 0 }
        let token = UUID().uuidString
        let rows: [OutboxMessage]
        do {
            // Locking rows: on PostgreSQL the nodes' workers skip each other's claims.
            rows = try database.writeLockingRows { tx in
                try tx.outbox.claimDue(now: started, limit: configuration.batchSize, lease: configuration.lease, token: token)
            }
        } catch {
            log.error("outbox claim failed", ["error": "\(error)"])
            return 0
        }
        guard !rows.isEmpty else { return 0 }
        let claim = OutboxClaim(token: token, ids: rows.map(\.id), lease: configuration.lease)
        claim.keepAlive(every: configuration.leaseRenewal, database: database, clock: clock, log: log)
        defer { claim.finish() }
        var outgoing: [OutgoingMail] = []
        var attemptsByID: [Int64: Int] = [:]
        var delivered = false
        var sessionFailure: String?
        for row in rows {
            attemptsByID[row.id] = row.attempts
            do {
                outgoing.append(try OutgoingMail(id: row.id, from: MailAddress(mailbox: row.sender),
                                                 to: MailAddress(mailbox: row.recipient), subject: row.subject,
                                                 textBody: row.textBody, htmlBody: row.htmlBody))
            } catch {
                record(DeliveryResult(id: row.id, outcome: .permanent("refused before sending: \(error)")),
                       attempts: row.attempts, claim: claim)
            }
        }
        transport.send(outgoing, shouldSend: { claim.holds($0.id) }, report: { result in
            record(result, attempts: attemptsByID[result.id] ?? 0, claim: claim)
            if case .delivered = result.outcome { delivered = true }
            if result.sessionRefused, case .temporary(let reason) = result.outcome { sessionFailure = reason }
        })
        if delivered { truncateWAL() }
        noteServer(delivered: delivered, sessionFailure: sessionFailure)
        return rows.count
    }

    /// Remembers how the server treated this batch (``ServerTrouble``) and logs its warning.
    private func noteServer(delivered: Bool, sessionFailure: String?) {
        if delivered {
            troubleLock.withLock { trouble.delivered() }
            return
        }
        guard let sessionFailure else { return }
        let waiting = (try? database.read { tx in try tx.outbox.backlog() })?.waiting ?? 0
        let now = clock.now()
        let unit = random()
        let warning = troubleLock.withLock {
            trouble.sessionFailed(at: now, reason: sessionFailure, waiting: waiting, policy: configuration.retry, unitRandom: unit)
        }
        if let warning { log.warning("outbox cannot deliver", ["detail": LogRedaction.addresses(in: warning)]) }
    }

    /// When the next session may be tried, while the server refuses them; nil otherwise.
    var serverRetryAt: Date? { troubleLock.withLock { trouble.retryAt } }

    /// After a batch scrubbed bodies: the WAL still holds the frames written before the scrub
    /// (the link, the temporary password), so they are checkpointed and the WAL truncated. A
    /// failure is logged; the next delivered batch tries again.
    private func truncateWAL() {
        do {
            try database.checkpointAndTruncate()
        } catch {
            log.warning("wal checkpoint after scrubbing failed", ["error": "\(error)"])
        }
    }

    /// Records one outcome in its own write, renewing in the same write the lease of the
    /// batch's rows still waiting.
    private func record(_ result: DeliveryResult, attempts previous: Int, claim: OutboxClaim) {
        let at = clock.now()
        let attempts = previous + 1
        failures.count(result)
        do {
            try database.write { tx in
                try record(result, attempts: attempts, at: at, in: tx.outbox)
                // The outcome must be kept even if the renewal fails; the timer renews again.
                do {
                    try claim.renew(in: tx.outbox, now: at)
                } catch {
                    log.warning("outbox lease renewal failed", ["error": "\(error)"])
                }
            }
        } catch {
            // The row keeps its lease and is claimed again when it ends.
            log.error("outbox update failed", ["id": String(result.id), "error": "\(error)"])
        }
    }

    /// One outcome, inside the write transaction `record(_:attempts:)` opened.
    private func record(_ result: DeliveryResult, attempts: Int, at: Date, in outbox: OutboxRepository<WriteAccess>) throws {
        switch result.outcome {
        case .delivered:
            try outbox.markSent(id: result.id, at: at)
            log.info("outbox message sent", ["id": String(result.id), "attempts": String(attempts)])
            let forward = try outbox.bringForwardWaitingForServer(now: at)
            if forward > 0 { log.info("outbox server reachable again: waiting messages due now", ["count": String(forward)]) }
        case .temporary(let reason) where result.serverUnavailable:
            // Not the message's fault (no session opened): it is never given up for it, and it
            // goes as soon as a delivery succeeds again (`bringForwardWaitingForServer`).
            let delay = configuration.retry.delay(afterAttempt: attempts, unitRandom: random())
            try outbox.markRetry(id: result.id, error: reason, nextAttemptAt: at.addingTimeInterval(delay), serverUnavailable: true)
        case .temporary(let reason) where configuration.retry.isExhausted(attempts: attempts):
            try outbox.markDead(id: result.id, reason: "gave up after \(attempts) attempts: \(reason)", at: at)
            log.warning("outbox message dead", ["id": String(result.id), "reason": LogRedaction.addresses(in: reason)])
        case .temporary(let reason):
            let delay = configuration.retry.delay(afterAttempt: attempts, unitRandom: random())
            try outbox.markRetry(id: result.id, error: reason, nextAttemptAt: at.addingTimeInterval(delay),
                                 serverUnavailable: result.serverUnavailable)
            log.info("outbox message deferred", ["id": String(result.id), "retry_in": String(Int(delay)),
                                                    "reason": LogRedaction.addresses(in: reason)])
        case .permanent(let reason):
            try outbox.markDead(id: result.id, reason: reason, at: at)
            log.warning("outbox message dead", ["id": String(result.id), "reason": LogRedaction.addresses(in: reason)])
        }
    }

    private func loop() {
        log.info("outbox worker started")
        while true {
            condition.lock()
            let deadline = stopDeadline
            wakeRequested = false
            condition.unlock()
            if let deadline, clock.now() >= deadline { break }

            let handled = deliverBatch()
            if handled > 0 { continue }
            if deadline != nil { break }  // draining and nothing is due: done.

            let nextDue = (try? database.read { tx in try tx.outbox.nextDueDate() }) ?? nil
            var sleep = configuration.idleInterval
            if let retryAt = serverRetryAt, retryAt > clock.now() {
                // The server refuses sessions: what is due waits for the next try.
                sleep = min(sleep, max(0.01, retryAt.timeIntervalSince(clock.now())))
            } else if let nextDue {
                sleep = min(sleep, max(0.01, nextDue.timeIntervalSince(clock.now())))
            }
            condition.lock()
            if !wakeRequested && stopDeadline == nil {
                // NSCondition waits on the real clock: the delay comes from `clock`, the
                // deadline it is added to cannot.
                _ = condition.wait(until: Date().addingTimeInterval(sleep))
            }
            condition.unlock()
        }
        condition.lock()
        running = false
        condition.unlock()
        log.info("outbox worker stopped")
        finished.signal()
    }
}
