import ClaveLog
import ClaveTime
import Foundation

/// Runs `Database.purge` every `interval` while `clave serve` runs.
///
/// Without it expired sessions, spent-captcha records, rate-limit windows and old audit entries
/// stay until someone runs `clave db purge`. (GETs write nothing, so a crawler grows no table;
/// what grows comes from logins and POSTs, each behind its rate limit.) A failed purge is logged
/// and tried again next time: housekeeping never stops the server.
public final class Housekeeping: @unchecked Sendable {
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

    /// One purge, logged.
    func runOnce() {
        do {
            let counts = try database.purge(now: clock.now(), policy: policy)
            if counts.total > 0 {
                logger.info("purged", ["reset_tokens": String(counts.resetTokens), "sessions": String(counts.sessions),
                                       "captchas": String(counts.captchas), "rate_limits": String(counts.rateLimitCounters),
                                       "login_throttles": String(counts.loginThrottles)])
            }
        } catch {
            logger.warning("purge failed; trying again later", ["error": "\(error)"])
        }
    }

    deinit { timer?.cancel() }
}
