/// Server metrics in the Prometheus text format (version 0.0.4), for `GET /metrics`.
///
/// The server records requests by status code, a latency histogram, open connections, the
/// worker queue depth and requests shed with 503. Each event loop writes its own shard under
/// its own lock, so loops never contend; `render()` adds the shards up. Other modules register
/// extra counters and gauges with `counter(_:help:)` and `gauge(_:help:read:)`, counters with a
/// label with `counterFamily(_:label:help:known:)`, and counters kept by a module that cannot
/// see this one (the mailer) with `counters(_:label:help:read:)`.
///
/// ```swift
/// let sent = metrics.counter("clave_mail_sent_total", help: "Correos enviados.")
/// sent.increment()
/// ```
public final class Metrics: @unchecked Sendable {
    /// Upper bounds of the latency histogram buckets, in seconds.
    public let latencyBuckets: [Double]
    private let lock = Lock()
    private var shards: [MetricsShard] = []
    private var counters: [(name: String, help: String, counter: MetricsCounter)] = []
    private var gauges: [(name: String, help: String, read: @Sendable () -> Double)] = []
    private var familyCounters: [String: MetricsCounterFamily] = [:]
    private var families: [(name: String, help: String, label: String, read: @Sendable () -> [String: UInt64])] = []

    /// `latencyBuckets` defaults to 100 µs … 10 s, dense below 10 ms where this server lives.
    public init(latencyBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
        self.latencyBuckets = latencyBuckets.sorted()
    }

    /// A shard for one event loop: only that loop's thread records into it.
    func makeShard() -> MetricsShard {
        let shard = MetricsShard(buckets: latencyBuckets.map { UInt64($0 * 1_000_000_000) })
        lock.withLock { shards.append(shard) }
        return shard
    }

    /// Registers (or returns the already registered) counter `name`. `name` must be a valid
    /// Prometheus metric name; `help` is one line.
    public func counter(_ name: String, help: String) -> MetricsCounter {
        lock.withLock {
            if let existing = counters.first(where: { $0.name == name }) { return existing.counter }
            let counter = MetricsCounter()
            counters.append((name, help, counter))
            return counter
        }
    }

    /// Registers a gauge whose value `read` returns when metrics are rendered.
    public func gauge(_ name: String, help: String, read: @escaping @Sendable () -> Double) {
        lock.withLock {
            gauges.removeAll { $0.name == name }
            gauges.append((name, help, read))
        }
    }

    /// Registers (or returns the already registered) counter `name` with one label; the series
    /// of `known` values start at 0.
    public func counterFamily(_ name: String, label: String, help: String, known: [String] = []) -> MetricsCounterFamily {
        lock.withLock {
            if let existing = familyCounters[name] { return existing }
            let family = MetricsCounterFamily(label: label, known: known)
            familyCounters[name] = family
            families.append((name, help, label, { family.values }))
            return family
        }
    }

    /// Registers counter `name` with one label whose counts `read` returns when metrics are
    /// rendered (by label value); a second registration of `name` replaces the first.
    public func counters(_ name: String, label: String, help: String, read: @escaping @Sendable () -> [String: UInt64]) {
        lock.withLock {
            families.removeAll { $0.name == name }
            familyCounters[name] = nil
            families.append((name, help, label, read))
        }
    }

    /// The sum of every shard: requests by status, latency histogram, open connections, shed.
    public func snapshot() -> MetricsSnapshot {
        let all = lock.withLock { shards }
        var total = MetricsSnapshot(bucketCount: latencyBuckets.count)
        for shard in all { shard.add(to: &total) }
        return total
    }

    /// Every metric in the Prometheus text exposition format.
    public func render() -> String {
        let total = snapshot()
        var out = ""
        out += "# HELP clave_http_requests_total HTTP responses sent, by status code.\n"
        out += "# TYPE clave_http_requests_total counter\n"
        for (code, count) in total.responsesByStatus.sorted(by: { $0.key < $1.key }) {
            out += "clave_http_requests_total{code=\"\(code)\",class=\"\(code / 100)xx\"} \(count)\n"
        }
        out += "# HELP clave_http_request_duration_seconds Time from a complete request to its written response.\n"
        out += "# TYPE clave_http_request_duration_seconds histogram\n"
        var cumulative: UInt64 = 0
        for (index, bound) in latencyBuckets.enumerated() {
            cumulative += total.bucketCounts[index]
            out += "clave_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "clave_http_request_duration_seconds_bucket{le=\"+Inf\"} \(total.requestCount)\n"
        out += "clave_http_request_duration_seconds_sum \(Double(total.durationNanoseconds) / 1e9)\n"
        out += "clave_http_request_duration_seconds_count \(total.requestCount)\n"
        out += "# HELP clave_http_open_connections Client connections currently open.\n"
        out += "# TYPE clave_http_open_connections gauge\n"
        out += "clave_http_open_connections \(total.openConnections)\n"
        out += "# HELP clave_http_requests_shed_total Requests answered 503 because the worker queue was full.\n"
        out += "# TYPE clave_http_requests_shed_total counter\n"
        out += "clave_http_requests_shed_total \(total.shed)\n"
        out += "# HELP clave_http_accept_pauses_total Times accepting paused at the connection cap (--max-connections).\n"
        out += "# TYPE clave_http_accept_pauses_total counter\n"
        out += "clave_http_accept_pauses_total \(total.acceptPauses)\n"
        out += "# HELP clave_tls_handshake_failures_total TLS handshakes refused or abandoned by the client.\n"
        out += "# TYPE clave_tls_handshake_failures_total counter\n"
        out += "clave_tls_handshake_failures_total \(total.tlsHandshakeFailures)\n"
        let (extraCounters, extraGauges, extraFamilies) = lock.withLock { (counters, gauges, families) }
        for entry in extraGauges {
            out += "# HELP \(entry.name) \(entry.help)\n# TYPE \(entry.name) gauge\n\(entry.name) \(Self.number(entry.read()))\n"
        }
        for entry in extraCounters {
            out += "# HELP \(entry.name) \(entry.help)\n# TYPE \(entry.name) counter\n\(entry.name) \(entry.counter.value)\n"
        }
        for entry in extraFamilies {
            out += Self.renderFamily(name: entry.name, help: entry.help, label: entry.label, values: entry.read())
        }
        return out
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// The totals `Metrics.render()` prints, for tests and for other exporters.
public struct MetricsSnapshot: Sendable, Equatable {
    public var responsesByStatus: [Int: UInt64] = [:]
    /// Per bucket (not cumulative) counts, in `Metrics.latencyBuckets` order.
    public var bucketCounts: [UInt64]
    public var requestCount: UInt64 = 0
    public var durationNanoseconds: UInt64 = 0
    public var openConnections: Int = 0
    public var shed: UInt64 = 0
    /// Times a loop stopped accepting because it held its share of ``HTTPServerConfiguration/maxConnections``.
    public var acceptPauses: UInt64 = 0
    /// TLS handshakes refused (old protocol, no shared cipher, bad record) or abandoned.
    public var tlsHandshakeFailures: UInt64 = 0

    init(bucketCount: Int) { bucketCounts = Array(repeating: 0, count: bucketCount) }
}

/// A monotonically increasing count registered with `Metrics.counter(_:help:)`.
public final class MetricsCounter: @unchecked Sendable {
    private let lock = Lock()
    private var count: UInt64 = 0

    init() {}

    /// Adds `amount` (default 1).
    public func increment(by amount: UInt64 = 1) { lock.withLock { count &+= amount } }

    public var value: UInt64 { lock.withLock { count } }
}
