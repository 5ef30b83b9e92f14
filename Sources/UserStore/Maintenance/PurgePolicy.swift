import Foundation

/// How long rows that can no longer be used are kept before a purge deletes them.
///
/// Reset tokens are kept a week past expiry so that support staff can still see, in `clave db`
/// queries, that a link was sent and why it no longer works; spent-captcha records and
/// rate-limit counters only matter for minutes, a day is plenty. Sessions go as soon as they
/// expire: they hold only a hash and a CSRF secret. (Only a login makes one: anonymous forms
/// carry a signed token, so a cookieless visit writes nothing.)
/// The audit log is kept half a year, long enough to answer "who reset my password in
/// spring?", and then goes: an unbounded log grows without end and every query near it slows.
public struct PurgePolicy: Sendable, Equatable {
    /// Reset tokens expired longer ago than this are deleted. Default 7 days.
    public var tokenRetention: TimeInterval
    /// Records of spent captchas whose id expired longer ago than this are deleted. Default 1 day.
    public var captchaRetention: TimeInterval
    /// Rate-limit windows that ended longer ago than this are deleted. Default 1 day.
    public var rateLimitRetention: TimeInterval
    /// Login throttles whose window started longer ago than this are deleted. Default 2 days:
    /// a throttle's window lasts a day (``LoginThrottleRepository``), and a row past it counts
    /// nothing.
    public var throttleRetention: TimeInterval
    /// Audit entries older than this are deleted. Default 180 days (`--audit-retention-days`).
    public var auditRetention: TimeInterval

    /// The policy; every argument has the default documented on its property.
    public init(tokenRetention: TimeInterval = 7 * 86_400, captchaRetention: TimeInterval = 86_400,
                rateLimitRetention: TimeInterval = 86_400, throttleRetention: TimeInterval = 2 * 86_400,
                auditRetention: TimeInterval = 180 * 86_400) {
        self.tokenRetention = tokenRetention
        self.captchaRetention = captchaRetention
        self.rateLimitRetention = rateLimitRetention
        self.throttleRetention = throttleRetention
        self.auditRetention = auditRetention
    }

    /// The documented defaults.
    public static let `default` = PurgePolicy()
}

/// What one purge deleted.
public struct PurgeCounts: Sendable, Equatable {
    public var resetTokens = 0
    public var sessions = 0
    public var captchas = 0
    public var rateLimitCounters = 0
    public var loginThrottles = 0
    public var auditEntries = 0

    public init() {}

    /// Rows deleted in all.
    public var total: Int { resetTokens + sessions + captchas + rateLimitCounters + loginThrottles + auditEntries }
}

extension Database {
    /// Deletes what can no longer be used as of `now`, table by table (each its own short
    /// write, so a purge never holds the write lock long enough to stall a request).
    @discardableResult
    public func purge(now: Date, policy: PurgePolicy = .default) throws -> PurgeCounts {
        var counts = PurgeCounts()
        counts.resetTokens = try write { tx in try tx.resetTokens.purge(expiredBefore: now.addingTimeInterval(-policy.tokenRetention)) }
        counts.sessions = try write { tx in try tx.sessions.purgeExpired(now: now) }
        counts.captchas = try write { tx in try tx.captchas.purge(before: now.addingTimeInterval(-policy.captchaRetention)) }
        counts.rateLimitCounters = try write { tx in try tx.rateLimits.purge(before: now.addingTimeInterval(-policy.rateLimitRetention)) }
        counts.loginThrottles = try write { tx in try tx.loginThrottles.purge(startedBefore: now.addingTimeInterval(-policy.throttleRetention)) }
        counts.auditEntries = try write { tx in try tx.auditLog.purge(before: now.addingTimeInterval(-policy.auditRetention)) }
        return counts
    }
}
