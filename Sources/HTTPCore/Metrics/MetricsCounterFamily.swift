/// A counter with one label, such as refusals by route: one count per label value.
///
/// Values come from code (route patterns, a closed set of reasons), never from a request, so
/// the number of series stays bounded; the ones passed as `known` are shown at 0 from the
/// start, so a scraper sees the series before the first event (Prometheus' advice for
/// counters with labels).
///
/// ```swift
/// let refusals = metrics.counterFamily("clave_rate_limit_refusals_total", label: "route",
///                                      help: "Requests refused 429, by route.")
/// refusals.increment("/secop/recuperar")
/// ```
public final class MetricsCounterFamily: @unchecked Sendable {
    /// The label's name (`route`, `reason`).
    public let label: String
    private let lock = Lock()
    private var counts: [String: UInt64]

    init(label: String, known: [String]) {
        self.label = label
        counts = Dictionary(known.map { ($0, 0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds `amount` (default 1) to the series `value`.
    public func increment(_ value: String, by amount: UInt64 = 1) {
        lock.withLock { counts[value, default: 0] &+= amount }
    }

    /// Every series' count.
    public var values: [String: UInt64] { lock.withLock { counts } }
}

extension Metrics {
    /// The exposition lines of one labeled counter: `name{label="value"} count`, by value.
    static func renderFamily(name: String, help: String, label: String, values: [String: UInt64]) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
        for (value, count) in values.sorted(by: { $0.key < $1.key }) {
            out += "\(name){\(label)=\"\(labelValue(value))\"} \(count)\n"
        }
        return out
    }

    /// A label value escaped as the text format asks: backslash, double quote and line feed.
    static func labelValue(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
