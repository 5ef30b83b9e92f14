/// When an event loop must wake up with no I/O to report: for the next deadline sweep, for
/// the next held response (``HTTPResponse/minimumLatency``), and for the end of the shutdown
/// grace period.
///
/// Connection deadlines themselves live in each ``ConnectionStateMachine``; the loop checks
/// them all on a sweep every ``HTTPTimeouts/sweepInterval`` instead of keeping one timer per
/// connection, because the sweep costs nothing per request while a timer heap would be
/// updated on every request. Times are ``ClaveClock/uptime()`` nanoseconds, so a test moves
/// them with a `ManualClock`.
struct LoopTimers {
    /// Nanoseconds between sweeps.
    let sweepInterval: UInt64
    /// When the next sweep is due; the first iteration sweeps.
    private(set) var nextSweep: UInt64 = 0
    /// When graceful shutdown gives up on requests in flight (`.max`: not stopping).
    var stopDeadline: UInt64 = .max
    private var delayed = DelayedResponses()

    init(timeouts: HTTPTimeouts) {
        sweepInterval = timeouts.sweepInterval.nanoseconds
    }

    /// How long the poller may wait at `now`: until the earliest timer, rounded up to the next
    /// millisecond so that the loop never wakes just before it, and at most a second.
    func waitMilliseconds(now: UInt64) -> Int32 {
        let wakeAt = min(nextSweep, min(stopDeadline, delayed.earliestDue ?? .max))
        let untilWake = wakeAt > now ? wakeAt - now : 0
        return Int32(min(untilWake / 1_000_000 + 1, 1000))
    }

    /// Whether a sweep is due at `now`; if so the next one is scheduled from `now`.
    mutating func sweepIsDue(now: UInt64) -> Bool {
        guard now >= nextSweep else { return false }
        nextSweep = now &+ sweepInterval
        return true
    }

    // MARK: Held responses

    /// Responses held now.
    var heldCount: Int { delayed.count }

    /// Holds `response` for the connection `token` until `due`.
    mutating func hold(_ response: HTTPResponse, token: UInt64, until due: UInt64) {
        delayed.hold(response, token: token, until: due)
    }

    /// Removes and returns the held responses due at `now`, earliest first (none: no
    /// allocation).
    mutating func takeDueResponses(now: UInt64) -> [DelayedResponses.Entry] {
        guard let due = delayed.earliestDue, due <= now else { return [] }
        return delayed.takeDue(now: now)
    }
}
