/// Why a TLS connection failed, in cases a caller can act on.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The context could not be set up (CA file unreadable, libssl refused a setting).
    case configuration(String)
    /// The peer's certificate chain or name did not verify: never retried silently.
    case certificateRejected(String)
    /// The handshake failed for another reason (protocol, alert from the peer).
    case handshakeFailed(String)
    /// No bytes within the socket's timeout.
    case timeout
    /// The peer closed the connection.
    case closed
    /// A read or write failed below TLS.
    case io(String)

    /// One line for logs.
    public var description: String {
        switch self {
        case .configuration(let detail): "TLS configuration: \(detail)"
        case .certificateRejected(let detail): "TLS certificate rejected: \(detail)"
        case .handshakeFailed(let detail): "TLS handshake failed: \(detail)"
        case .timeout: "TLS timeout"
        case .closed: "TLS connection closed by peer"
        case .io(let detail): "TLS I/O: \(detail)"
        }
    }
}
