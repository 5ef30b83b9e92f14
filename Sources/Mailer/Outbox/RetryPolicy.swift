import Foundation

/// When a message that failed temporarily is tried again, and when the outbox gives up.
///
/// Delays grow exponentially (`base × factor^(attempt-1)`, at most `cap`) so an outage of
/// the mail server is not hammered, with random jitter so a backlog does not retry in lock-step
/// when the server comes back. With the defaults the delays are about 30 s, 1, 2, 4, 8, 16, 32
/// minutes, then an hour, and a message is given up (dead, with its reason) after 12 attempts,
/// roughly six hours of trying: the reset links it carries expire before then anyway.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay after the first failure. Default 30 s.
    public var base: TimeInterval
    /// Growth per further failure. Default 2.
    public var factor: Double
    /// Longest delay. Default 1 hour.
    public var cap: TimeInterval
    /// Fraction of the delay added or removed at random (0.2 = ±20 %). Default 0.2.
    public var jitter: Double
    /// Attempts after which a temporary failure becomes final (dead). Default 12.
    public var maximumAttempts: Int

    /// The defaults documented on each field; jitter is clamped to 0...1, attempts to at least 1.
    public init(base: TimeInterval = 30, factor: Double = 2, cap: TimeInterval = 3600,
                jitter: Double = 0.2, maximumAttempts: Int = 12) {
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// The delay after failed attempt number `attempt` (1 for the first failure), with
    /// `unitRandom` in 0...1 choosing the jitter (0.5 = none).
    public func delay(afterAttempt attempt: Int, unitRandom: Double) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let raw = min(cap, base * pow(factor, min(exponent, 64)))
        let spread = raw * jitter * (unitRandom * 2 - 1)
        return max(0, min(cap * (1 + jitter), raw + spread))
    }

    /// Whether a message that has now failed `attempts` times must stop being retried.
    public func isExhausted(attempts: Int) -> Bool { attempts >= maximumAttempts }
}
