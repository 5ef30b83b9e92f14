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

/// A clock tests move by hand: both readings advance together, so a test that expires a
/// session (wall time) and one that fires a timeout (monotonic) use the same clock.
///
/// By default it stands still between advances. `followsRealTime: true` makes it the real
/// time plus every advance so far, for tests of a whole app whose rows must keep their real
/// order (two requests a few milliseconds apart are not at the same instant).
public final class ManualClock: ClaveClock, @unchecked Sendable {
    private let lock = NSLock()
    private let real = SystemClock()
    private let startWall: Date
    private let startUptime: UInt64
    private let realStartWall: Date
    private let realStartUptime: UInt64
    private let followsRealTime: Bool
    private var offset: TimeInterval = 0

    /// A clock at `start` (default: the real time when the test began, so rows written with it
    /// look ordinary) and an uptime of `uptime` nanoseconds.
    public init(start: Date = Date(), uptime: UInt64 = 1_000_000_000, followsRealTime: Bool = false) {
        startWall = start
        startUptime = uptime
        realStartWall = real.now()
        realStartUptime = real.uptime()
        self.followsRealTime = followsRealTime
    }

    /// The wall time: `start` plus every advance (plus the real time gone by, if it follows it).
    public func now() -> Date {
        let elapsed = followsRealTime ? real.now().timeIntervalSince(realStartWall) : 0
        return lock.withLock { startWall.addingTimeInterval(elapsed + offset) }
    }

    /// The monotonic time: the starting uptime plus every advance (plus real time, if it follows it).
    public func uptime() -> UInt64 {
        let elapsed = followsRealTime ? real.uptime() &- realStartUptime : 0
        return lock.withLock { startUptime &+ elapsed &+ UInt64(max(0, offset) * 1_000_000_000) }
    }

    /// Moves both readings forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        lock.withLock { offset += max(0, seconds) }
    }

    /// Moves both readings forward by `duration`.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(by: TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }
}
