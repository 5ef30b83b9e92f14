import Foundation

/// The worker's memory of a mail server that will not open a session (refused connection,
/// failed TLS, AUTH answered 535): what keeps a misconfiguration from being hammered and from
/// flooding the log.
///
/// After a batch whose session could not open, no new session is tried before
/// ``retryAt``, whatever is enqueued meanwhile: the delay grows with each failed session like a
/// message's back-off (``RetryPolicy``), so a wrong password is tried a few times and then about
/// hourly, never once per request (a relay that counts failed logins would lock the account). The
/// messages stay queued, never given up for a fault that is not theirs, and `/readyz` reports
/// the last error. The log gets at most one line per ``logInterval``. The first delivery
/// forgets it all.
struct ServerTrouble: Sendable {
    /// Sessions in a row that would not open.
    private(set) var failures = 0
    /// No session before this time; nil while the server is fine.
    private(set) var retryAt: Date?
    /// When the last warning was logged.
    private var loggedAt: Date?
    /// Failed sessions since that warning, for the next one.
    private var unlogged = 0
    /// At most one warning per this many seconds. One minute.
    let logInterval: TimeInterval = 60

    /// Whether a session may be tried at `now`.
    func allowsSession(at now: Date) -> Bool { retryAt.map { now >= $0 } ?? true }

    /// A session failed at `now` with `reason`; returns the warning to log, if one is due.
    mutating func sessionFailed(at now: Date, reason: String, waiting: Int, policy: RetryPolicy, unitRandom: Double) -> String? {
        failures += 1
        unlogged += 1
        let delay = policy.delay(afterAttempt: failures, unitRandom: unitRandom)
        retryAt = now.addingTimeInterval(delay)
        guard loggedAt.map({ now.timeIntervalSince($0) >= logInterval }) ?? true else { return nil }
        let line = "the mail server would not open a session \(unlogged) time(s) since the last report (\(failures) in a row): "
            + "\(reason); \(waiting) message(s) stay queued, next try in \(Int(delay)) s"
        loggedAt = now
        unlogged = 0
        return line
    }

    /// A message was delivered: the server is fine again.
    mutating func delivered() { self = ServerTrouble() }
}
