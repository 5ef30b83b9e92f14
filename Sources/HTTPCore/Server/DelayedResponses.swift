/// Finished responses an event loop holds until their due time (``HTTPResponse/minimumLatency``).
///
/// Few are held at once (only pages that pad their timing), so a sorted array is the simplest
/// structure that answers "what is due now" and "when is the next one due" cheaply.
struct DelayedResponses {
    struct Entry {
        let due: UInt64
        let token: UInt64
        let response: HTTPResponse
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }

    /// Responses held now.
    var count: Int { entries.count }

    /// When the earliest held response is due, in ``ClaveClock/uptime()`` nanoseconds.
    var earliestDue: UInt64? { entries.first?.due }

    /// Holds `response` for the connection `token` until `due`.
    mutating func hold(_ response: HTTPResponse, token: UInt64, until due: UInt64) {
        let index = entries.firstIndex { $0.due > due } ?? entries.endIndex
        entries.insert(Entry(due: due, token: token, response: response), at: index)
    }

    /// Removes and returns every response due at `now`, earliest first.
    mutating func takeDue(now: UInt64) -> [Entry] {
        let count = entries.firstIndex { $0.due > now } ?? entries.endIndex
        guard count > 0 else { return [] }
        let due = Array(entries[..<count])
        entries.removeFirst(count)
        return due
    }
}
