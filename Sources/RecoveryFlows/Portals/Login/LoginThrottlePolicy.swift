import Foundation
import UserStore

/// How failed logins slow guessing without locking the owner out (OWASP "device cookie"
/// scheme, OWASP ASVS 5.0 V6.3, NIST SP 800-63B-4 §3.2.2).
///
/// A browser that logged in to an account before holds a signed device cookie
/// (``DeviceCookie``) and is *trusted* for that account: it gets through whatever strangers
/// did, and only its own failures count against it (``deviceFailures`` per ``window``, then it is
/// treated like any other client). Every other client is *untrusted* and shares one throttle
/// per identifier (the same key for an account that does not exist, so the throttle tells
/// nothing about accounts):
///
/// | untrusted failures in the window | next attempt allowed after |
/// |---|---|
/// | 1 to 5 (``freeFailures``) | at once |
/// | 6, 7, 8, 9, 10, 11 | 1, 2, 4, 8, 16, 30 minutes (``firstDelay`` doubling, up to ``maximumDelay``) |
/// | 12 to 19 | 30 minutes each |
/// | 20 (``dailyFailures``) | the end of the window (24 hours after its first failure) |
///
/// So a stranger gets at most 20 guesses per account per day, far under NIST's ceiling of 100
/// consecutive failures, and the owner is never refused: from a browser they logged in with
/// before they are let through, and from a new one a reset (link or SOI's emailed clave) clears
/// every throttle of the account. An attempt made while the wait runs is refused and still
/// counted: it costs what a failure costs and says the same whatever the password was, so a
/// throttled account is no oracle for its right password.
public struct LoginThrottlePolicy: Sendable, Equatable {
    /// Untrusted failures per identifier let through without a wait. Default 5.
    public var freeFailures: Int
    /// The wait after the first failure past ``freeFailures``; it doubles with each further
    /// failure. Default 1 minute.
    public var firstDelay: TimeInterval
    /// The longest wait between two attempts. Default 30 minutes.
    public var maximumDelay: TimeInterval
    /// Untrusted failures per identifier in one ``window``; at this count the next attempt waits
    /// for the window's end. Default 20.
    public var dailyFailures: Int
    /// The counting window, from its first failure. Default 24 hours.
    public var window: TimeInterval
    /// Failures a trusted browser may make per ``window`` before it counts as untrusted. Default 5.
    public var deviceFailures: Int
    /// How long a device cookie stays trusted after the login that issued it. Default 90 days.
    public var deviceLifetime: TimeInterval

    /// The defaults documented on each property (and in README, "Logins").
    public init(freeFailures: Int = 5, firstDelay: TimeInterval = 60, maximumDelay: TimeInterval = 30 * 60,
                dailyFailures: Int = 20, window: TimeInterval = 86_400, deviceFailures: Int = 5,
                deviceLifetime: TimeInterval = 90 * 86_400) {
        self.dailyFailures = max(1, min(dailyFailures, 100))
        self.freeFailures = max(0, min(freeFailures, self.dailyFailures))
        self.firstDelay = max(1, firstDelay)
        self.maximumDelay = max(self.firstDelay, maximumDelay)
        self.window = max(60, window)
        self.deviceFailures = max(1, min(deviceFailures, self.dailyFailures))
        self.deviceLifetime = max(60, deviceLifetime)
    }

    /// The wait after the `failures`-th untrusted failure of a window (zero while free).
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > freeFailures else { return 0 }
        let doublings = min(failures - freeFailures - 1, 30)
        return min(maximumDelay, firstDelay * pow(2, Double(doublings)))
    }

    /// The state after one more untrusted failure at `now`: a window over (or none yet) starts
    /// again at one.
    public func afterFailure(_ state: LoginThrottleState?, now: Date) -> LoginThrottleState {
        let current = state.flatMap { isCurrent($0, at: now) ? $0 : nil }
        let start = current?.windowStartedAt ?? now
        let failures = (current?.failures ?? 0) + 1
        let windowEnd = start.addingTimeInterval(window)
        let next = failures >= dailyFailures ? windowEnd : now.addingTimeInterval(delay(afterFailures: failures))
        return LoginThrottleState(failures: failures, windowStartedAt: start, nextAttemptAt: min(next, windowEnd))
    }

    /// Seconds an untrusted attempt at `now` must still wait under `state`; zero when it may go ahead.
    ///
    /// Within the free failures nothing waits, whatever instant the last attempt recorded: each
    /// attempt reads the clock before it takes the write lock, so in a burst the attempt counted
    /// last may carry an instant a little before the one counted just ahead of it, and must not
    /// read that as a wait (it did under load: a sixth parallel guess answered 429, `Retry-After: 1`).
    public func wait(_ state: LoginThrottleState?, at now: Date) -> TimeInterval {
        guard let state, isCurrent(state, at: now), delay(afterFailures: state.failures) > 0 || state.failures >= dailyFailures else { return 0 }
        return max(0, state.nextAttemptAt.timeIntervalSince(now))
    }

    /// Whether a trusted browser with `state` (its own failures) is still trusted at `now`.
    public func trustsDevice(_ state: LoginThrottleState?, at now: Date) -> Bool {
        guard let state, isCurrent(state, at: now) else { return true }
        return state.failures < deviceFailures
    }

    /// The state after one more failure of a trusted browser: counted, never delayed (it stops
    /// being trusted at ``deviceFailures`` instead).
    public func afterDeviceFailure(_ state: LoginThrottleState?, now: Date) -> LoginThrottleState {
        let current = state.flatMap { isCurrent($0, at: now) ? $0 : nil }
        return LoginThrottleState(failures: (current?.failures ?? 0) + 1, windowStartedAt: current?.windowStartedAt ?? now,
                                  nextAttemptAt: now)
    }

    private func isCurrent(_ state: LoginThrottleState, at now: Date) -> Bool {
        state.windowStartedAt.addingTimeInterval(window) > now
    }
}
