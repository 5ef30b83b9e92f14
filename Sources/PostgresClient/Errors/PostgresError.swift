import ClaveCrypto

/// Why a PostgreSQL call failed, in cases a caller can act on: a server error carries its
/// SQLSTATE (``isUniqueViolation``, ``isTransactionRetryable``), a lost connection is
/// ``isConnectionLost`` whatever the socket said, and nothing here holds a password.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered ErrorResponse.
    case server(PostgresServerError)
    /// No connection could be made (resolving, connecting, the server refusing TLS).
    case connectionFailed(String)
    /// A connection that was up went down, or timed out mid-exchange; its state is unknown
    /// and it is closed.
    case connectionLost(String)
    /// TLS failed: the certificate or host did not verify, or the handshake broke.
    case tls(TLSError)
    /// Authentication could not proceed: a method other than SCRAM-SHA-256, or a server
    /// whose SCRAM proof is wrong.
    case authentication(String)
    /// The server sent bytes that are not the protocol; the connection is closed.
    case protocolViolation(String)
    /// The call itself is wrong (a NUL byte in SQL, too many parameters, a bad channel name).
    case invalidArgument(String)
    /// A bad database URL or setting.
    case configuration(String)
    /// A result value is not of the type asked for.
    case decoding(column: String, reason: String)
    /// The pool had no connection free within its checkout timeout.
    case poolTimeout(waited: Double)
    /// The pool or connection was closed by its owner.
    case closed

    public var description: String {
        switch self {
        case .server(let error): "PostgreSQL: \(error)"
        case .connectionFailed(let detail): "PostgreSQL connection failed: \(detail)"
        case .connectionLost(let detail): "PostgreSQL connection lost: \(detail)"
        case .tls(let error): "PostgreSQL \(error)"
        case .authentication(let detail): "PostgreSQL authentication: \(detail)"
        case .protocolViolation(let detail): "PostgreSQL protocol violation: \(detail)"
        case .invalidArgument(let detail): "PostgreSQL call: \(detail)"
        case .configuration(let detail): "PostgreSQL configuration: \(detail)"
        case .decoding(let column, let reason): "PostgreSQL column \(column): \(reason)"
        case .poolTimeout(let waited): "PostgreSQL pool: no connection free after \(waited)s"
        case .closed: "PostgreSQL: closed"
        }
    }

    /// The SQLSTATE, for a server error.
    public var sqlState: SQLState? {
        if case .server(let error) = self { return error.sqlState }
        return nil
    }

    public var isUniqueViolation: Bool { sqlState == .uniqueViolation }
    /// A serialization failure or a deadlock: run the transaction again.
    public var isTransactionRetryable: Bool { sqlState?.isTransactionRetryable ?? false }
    /// The connection is gone (socket closed or timed out, server shutting down): open another.
    public var isConnectionLost: Bool {
        switch self {
        case .connectionLost, .connectionFailed: true
        case .server(let error): error.sqlState.meansConnectionLost
        default: false
        }
    }
}
