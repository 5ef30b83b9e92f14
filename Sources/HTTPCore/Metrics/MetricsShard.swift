/// One event loop's share of the server metrics. Its loop records; `Metrics` reads.
///
/// A lock per shard instead of one for all keeps recording uncontended (only `render()` ever
/// takes the same lock from another thread) without atomics.
final class MetricsShard: @unchecked Sendable {
    private let lock = Lock()
    private let bounds: [UInt64]
    /// Responses by status code 100...599, indexed by `code - 100`.
    private var statusCounts = [UInt64](repeating: 0, count: 500)
    private var bucketCounts: [UInt64]
    private var requestCount: UInt64 = 0
    private var durationNanoseconds: UInt64 = 0
    private var openConnections = 0
    private var shed: UInt64 = 0
    private var acceptPauses: UInt64 = 0
    private var tlsHandshakeFailures: UInt64 = 0

    init(buckets: [UInt64]) {
        bounds = buckets
        bucketCounts = Array(repeating: 0, count: buckets.count)
    }

    /// Records one written response.
    func recordResponse(status: Int, durationNanoseconds duration: UInt64) {
        lock.lock()
        if (100..<600).contains(status) { statusCounts[status - 100] &+= 1 }
        var bucket = 0
        while bucket < bounds.count && duration > bounds[bucket] { bucket += 1 }
        if bucket < bounds.count { bucketCounts[bucket] &+= 1 }
        requestCount &+= 1
        durationNanoseconds &+= duration
        lock.unlock()
    }

    func connectionOpened() { lock.withLock { openConnections += 1 } }
    func connectionClosed() { lock.withLock { openConnections -= 1 } }
    func requestShed() { lock.withLock { shed &+= 1 } }
    func acceptPaused() { lock.withLock { acceptPauses &+= 1 } }
    /// A TLS client went away or was refused before its handshake finished.
    func tlsHandshakeFailed() { lock.withLock { tlsHandshakeFailures &+= 1 } }

    func add(to total: inout MetricsSnapshot) {
        lock.withLock {
            for (index, count) in statusCounts.enumerated() where count > 0 {
                total.responsesByStatus[index + 100, default: 0] += count
            }
            for index in bucketCounts.indices { total.bucketCounts[index] += bucketCounts[index] }
            total.requestCount += requestCount
            total.durationNanoseconds += durationNanoseconds
            total.openConnections += openConnections
            total.shed += shed
            total.acceptPauses += acceptPauses
            total.tlsHandshakeFailures += tlsHandshakeFailures
        }
    }
}
