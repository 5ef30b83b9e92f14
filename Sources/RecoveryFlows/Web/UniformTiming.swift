import Foundation
import HTTPCore

/// Pads a "request" page's response time to a floor, so that known and unknown accounts take
/// about the same time (DESIGN.md, Rules: same answer, about the same time).
///
/// The work behind a request differs (a found account writes a token and an outbox row; an
/// unknown one does nothing), and the difference shows in the response time. Every flow that
/// answers "if the account exists, we sent an email" passes its response through
/// ``padded(_:)``: the answer then leaves no earlier than `floor` plus a random jitter after the
/// request arrived. The floor should exceed the slowest honest path (default 250 ms, well above
/// a token write); the jitter hides what is left.
///
/// The wait is the event loop's (``HTTPResponse/minimumLatency``), not a sleeping worker thread:
/// a burst of recovery requests then costs timers, not the bounded pool every page needs.
///
/// ```swift
/// ... look up the account, maybe enqueue the email ...
/// return context.uniformTiming.padded(try request.page("secop/olvide-enviado.html"))
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

    /// `response` held until `floor + random(0...jitter)` after its request arrived.
    public func padded(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        let target = floor + (jitter > 0 ? Double.random(in: 0...jitter) : 0)
        response.minimumLatency = .nanoseconds(Int64(target * 1e9))
        return response
    }
}
