#if canImport(Glibc)
import Glibc
#endif

/// The monotonic time the server measures timeouts and latencies with, in nanoseconds.
///
/// A protocol so that the connection state machine's tests drive time by hand
/// (`ManualClock`) instead of sleeping.
public protocol ServerClock: Sendable {
    /// Nanoseconds since an arbitrary fixed point; never goes backwards.
    func now() -> UInt64
}

/// `CLOCK_MONOTONIC`: unaffected by changes to the wall clock.
public struct MonotonicClock: ServerClock {
    public init() {}

    public func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}

/// A clock that moves only when told, for tests of timeouts.
public final class ManualClock: ServerClock, @unchecked Sendable {
    private let lock = Lock()
    private var current: UInt64

    public init(start: UInt64 = 1_000_000_000) { current = start }

    public func now() -> UInt64 { lock.withLock { current } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        lock.withLock { current &+= duration.nanoseconds }
    }
}
