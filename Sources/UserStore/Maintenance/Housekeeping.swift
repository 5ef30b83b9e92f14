import ClaveLog
import ClaveTime
import Foundation

/// Runs `Database.purge` every `interval` while `clave serve` runs.
///
/// Without it expired sessions, spent-captcha records, rate-limit windows and old audit entries
/// stay until someone runs `clave db purge`. (GETs write nothing, so a crawler grows no table;
/// what grows comes from logins and POSTs, each behind its rate limit.) A failed purge is logged
/// and tried again next time: housekeeping never stops the server.
///
/// Several nodes (or processes) on one store purge one at a time: each run first takes the
/// `housekeeping` lease (``MaintenanceLeaseRepository``) for nine tenths of the interval, and a
/// node that finds another's lease running skips its turn. So the cluster purges about once
/// per interval, whichever node's timer fires first, and a node that dies leaves the job to the
/// others when its lease ends.
public final class Housekeeping: @unchecked Sendable {
    /// The lease's name.
    static let job = "housekeeping"
    /// This process's name as a lease holder.
    let holder = UUID().uuidString
    // `timer` is set in start() and cleared in stop(), both under `lock`.
    private let database: Database
    private let interval: TimeInterval
    private let policy: PurgePolicy
    private let clock: any ClaveClock
    private let logger: Logger
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?

    /// Default interval: 15 minutes, the idle lifetime of a session. `clock` says what "now" is
    /// for each purge (the timer itself runs on real time).
    public init(database: Database, interval: TimeInterval = 15 * 60, policy: PurgePolicy = .default,
                clock: any ClaveClock = SystemClock(), logger: Logger = Logger(label: "store")) {
        self.database = database
        self.interval = interval
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// Purges once now and then every `interval`, on a background queue.
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard timer == nil else { return }
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "clave.housekeeping", qos: .utility))
        source.schedule(deadline: .now(), repeating: interval, leeway: .milliseconds(Int(min(interval, 60) * 100)))
        source.setEventHandler { [self] in runOnce() }
        source.resume()
        timer = source
    }

    /// Stops the timer; a purge already running finishes.
    public func stop() {
        lock.lock()
        let source = timer
        timer = nil
        lock.unlock()
        source?.cancel()
    }

    /// One purge, logged, unless another process holds the lease. Returns whether it purged.
    @discardableResult
    func runOnce() -> Bool {
        do {
            let now = clock.now()
            let leaseEnd = now.addingTimeInterval(interval * 0.9)
            guard try database.write({ tx in try tx.maintenanceLeases.acquire(Self.job, holder: holder, until: leaseEnd, now: now) }) else {
                return false
            }
            let counts = try database.purge(now: now, policy: policy)
            if counts.total > 0 {
                logger.info("purged", ["reset_tokens": String(counts.resetTokens), "sessions": String(counts.sessions),
                                       "captchas": String(counts.captchas), "rate_limits": String(counts.rateLimitCounters),
                                       "login_throttles": String(counts.loginThrottles)])
            }
            return true
        } catch {
            logger.warning("purge failed; trying again later", ["error": "\(error)"])
            return false
        }
    }

    deinit { timer?.cancel() }
}
