#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The one clock every part of Clave reads: the HTTP server's timeouts, the store's expiries,
/// the outbox's retries, the portals' sessions and links.
///
/// It answers two questions that must not be mixed up. ``now()`` is wall-clock time, the time
/// that is stored and compared with stored times (a link expires at a date). ``uptime()`` is
/// monotonic nanoseconds, what timeouts and latencies are measured with, because the wall clock
/// can jump (NTP, an operator) and a jump must never fire or stall a timeout.
///
/// Pass it in; never read `Date()` or `clock_gettime` where a clock could be passed, so tests
/// move time with one ``ManualClock`` instead of sleeping:
///
/// ```swift
/// let clock = ManualClock()
/// let context = try AppContext(configuration: configuration, database: database, clock: clock)
/// clock.advance(by: 16 * 60)          // the session's idle lifetime is over
/// ```
public protocol ClaveClock: Sendable {
    /// The wall-clock time.
    func now() -> Date
    /// Nanoseconds since an arbitrary fixed point; never goes backwards.
    func uptime() -> UInt64
}

/// The machine's clocks: `Date()` and `CLOCK_MONOTONIC`.
public struct SystemClock: ClaveClock {
    /// The system's clocks.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }

    /// `CLOCK_MONOTONIC`: unaffected by changes to the wall clock.
    public func uptime() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A clock that moves only when told: both readings advance together, so a test that expires
/// a session (wall time) and one that fires a timeout (monotonic) use the same clock.
public final class ManualClock: ClaveClock, @unchecked Sendable {
    private let lock = NSLock()
    private var wall: Date
    private var monotonic: UInt64

    /// A clock at `start` (default: the real time when the test began, so rows written with it
    /// look ordinary) and an uptime of one second.
    public init(start: Date = Date(), uptime: UInt64 = 1_000_000_000) {
        wall = start
        monotonic = uptime
    }

    /// The wall time: `start` plus every advance so far.
    public func now() -> Date { lock.withLock { wall } }

    /// The monotonic time: the starting uptime plus every advance so far.
    public func uptime() -> UInt64 { lock.withLock { monotonic } }

    /// Moves both readings forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        lock.withLock {
            wall = wall.addingTimeInterval(seconds)
            monotonic &+= UInt64(max(0, seconds) * 1_000_000_000)
        }
    }

    /// Moves both readings forward by `duration`.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(by: TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }
}
