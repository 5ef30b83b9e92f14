import Dispatch
import Foundation

/// Pads a "request" page's response time to a floor, so that known and unknown accounts take
/// about the same time (DESIGN.md, Rules: same answer, about the same time).
///
/// The work behind a request differs (a found account writes a token and an outbox row; an
/// unknown one does nothing), and the difference shows in the response time. Every flow that
/// answers "if the account exists, we sent an email" calls ``pad(since:)`` with the instant
/// the handler started: the answer then leaves no earlier than `floor` plus a random jitter.
/// The floor should exceed the slowest honest path (default 250 ms, well above a token write);
/// the jitter hides what is left. Uses the monotonic clock, not the app clock: tests move the
/// app clock, not real time.
///
/// ```swift
/// let started = DispatchTime.now()
/// ... look up the account, maybe enqueue the email ...
/// request.context.uniformTiming.pad(since: started)
/// ```
public struct UniformTiming: Sendable, Equatable {
    /// The minimum response time. Default 250 ms.
    public var floor: TimeInterval
    /// Up to this much random time is added. Default 50 ms.
    public var jitter: TimeInterval

    /// The defaults above.
    public init(floor: TimeInterval = 0.25, jitter: TimeInterval = 0.05) {
        self.floor = max(0, floor)
        self.jitter = max(0, jitter)
    }

    /// Sleeps until `floor + random(0...jitter)` seconds have passed since `start`.
    public func pad(since start: DispatchTime) {
        let target = floor + (jitter > 0 ? Double.random(in: 0...jitter) : 0)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- start.uptimeNanoseconds) / 1e9
        let rest = target - elapsed
        if rest > 0 { Thread.sleep(forTimeInterval: rest) }
    }
}
