import Foundation

/// Where the shell reads the time, so tests can move it (session expiry without sleeping).
public protocol AppClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The real clock.
public struct SystemClock: AppClock {
    /// The system clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}

/// A clock tests move by hand: it reads the real time plus an offset they advance.
public final class AdjustableClock: AppClock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    /// A clock at the real time.
    public init() {}

    /// The real time plus every `advance` so far.
    public func now() -> Date { lock.withLock { Date().addingTimeInterval(offset) } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) { lock.withLock { offset += seconds } }
}
