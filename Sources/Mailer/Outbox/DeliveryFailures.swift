import Foundation

/// Why a delivery attempt failed, in the few words an operator's dashboard groups by
/// (`clave_mail_delivery_failures_total{reason=…}`): a closed set, so the series stay few.
public enum DeliveryFailureReason: String, Sendable, CaseIterable {
    /// No session: the server could not be reached or dropped the connection before it opened.
    case unreachable
    /// The server answered but refused the session as configured (AUTH 535, TLS refused):
    /// something the operator must fix (`ServerTrouble`).
    case sessionRefused = "session_refused"
    /// The server deferred this message (4xx): it is tried again later.
    case deferred
    /// The server (or our own checks) refused this message for good (5xx): it is dead.
    case rejected

    /// The reason of `result`; nil when it was delivered.
    public init?(_ result: DeliveryResult) {
        switch result.outcome {
        case .delivered: return nil
        case .permanent: self = .rejected
        case .temporary:
            if result.sessionRefused {
                self = .sessionRefused
            } else {
                self = result.serverUnavailable ? .unreachable : .deferred
            }
        }
    }
}

/// Failed delivery attempts counted by reason since start, for `/metrics`. The outbox worker
/// counts; the metrics renderer reads (the mailer does not know the HTTP server's metrics type,
/// so `clave serve` registers `snapshot` as a read-out).
public final class DeliveryFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [DeliveryFailureReason: UInt64] = [:]

    public init() {}

    /// Counts `result` when it is a failure.
    func count(_ result: DeliveryResult) {
        guard let reason = DeliveryFailureReason(result) else { return }
        lock.withLock { counts[reason, default: 0] &+= 1 }
    }

    /// The count of every reason (0 for those that never happened), by its metric label.
    public var snapshot: [String: UInt64] {
        let counts = lock.withLock { self.counts }
        return Dictionary(uniqueKeysWithValues: DeliveryFailureReason.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
    }
}
