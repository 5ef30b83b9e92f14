import ClaveTime
import Foundation
import RecoveryFlows

/// The shell's `AppClock` (the harness's `AdjustableClock`) seen as the `ClaveClock` the mailer
/// takes, so the app and its outbox worker read one time. Uptime is the machine's: nothing the
/// harness drives measures timeouts through it.
public struct AppClockAsClaveClock: ClaveClock {
    private let clock: any AppClock

    /// Reads `clock`'s wall time.
    public init(_ clock: any AppClock) { self.clock = clock }

    /// The app clock's time.
    public func now() -> Date { clock.now() }

    /// `CLOCK_MONOTONIC`.
    public func uptime() -> UInt64 { ClaveTime.SystemClock().uptime() }
}
