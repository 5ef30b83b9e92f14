import Foundation

/// How big the pool grows and how long callers wait: the defaults suit one `clave serve`
/// node with a few worker threads against a server with `max_connections = 100` shared by
/// several nodes.
public struct PostgresPoolLimits: Sendable, Equatable {
    /// Connections open at most. Default 8: a node's worker threads rarely all hold one, and
    /// three nodes then take 24 of the server's 100.
    public var maximumConnections: Int
    /// Seconds a caller waits for a free connection before ``PostgresError/poolTimeout(waited:)``.
    /// Default 5: a request should fail with a clear 503 rather than queue forever.
    public var checkoutTimeout: TimeInterval
    /// Runs of a transaction in all when the server reports a serialization failure or a
    /// deadlock. Default 5.
    public var maximumAttempts: Int
    /// Seconds before the second attempt, doubled for each further one (with jitter). Default 0.01.
    public var retryBackoff: TimeInterval

    public init(maximumConnections: Int = 8, checkoutTimeout: TimeInterval = 5, maximumAttempts: Int = 5,
                retryBackoff: TimeInterval = 0.01) {
        self.maximumConnections = maximumConnections
        self.checkoutTimeout = checkoutTimeout
        self.maximumAttempts = maximumAttempts
        self.retryBackoff = retryBackoff
    }
}

/// How a transaction runs: isolation, access, and a statement timeout that holds for it alone.
public struct PostgresTransactionOptions: Sendable, Equatable {
    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    public var isolation: Isolation
    public var readOnly: Bool
    /// Seconds any one statement may run before the server cancels it (SQLSTATE 57014);
    /// nil keeps the server's setting. Set with `SET LOCAL`, so it ends with the transaction.
    public var statementTimeout: TimeInterval?

    public init(isolation: Isolation = .serializable, readOnly: Bool = false, statementTimeout: TimeInterval? = 5) {
        self.isolation = isolation
        self.readOnly = readOnly
        self.statementTimeout = statementTimeout
    }

    /// A consistent snapshot for reads, as the SQLite store's `read` gives.
    public static let read = PostgresTransactionOptions(isolation: .repeatableRead, readOnly: true)
    /// Serializable writes: the whole transaction runs again on a conflict, which gives the
    /// same outcome as the SQLite store's one writer at a time.
    public static let write = PostgresTransactionOptions()

    /// BEGIN and the statement timeout, sent in front of the transaction's first statement
    /// (``PostgresConnection/deferBegin(_:)``), so a transaction costs no round trip more than
    /// its statements and its COMMIT. The timeout is a whole number of milliseconds from this
    /// struct, never input; `SET LOCAL` ends with the transaction. None is sent when the
    /// session's (`session`, ``PostgresConfiguration/statementTimeout``) is already the same.
    func beginStatements(session: TimeInterval? = nil) -> [String] {
        let begin = "BEGIN ISOLATION LEVEL \(isolation.rawValue) \(readOnly ? "READ ONLY" : "READ WRITE")"
        guard let statementTimeout else { return [begin] }
        let milliseconds = Self.milliseconds(statementTimeout)
        if let session, Self.milliseconds(session) == milliseconds { return [begin] }
        return [begin, "SET LOCAL statement_timeout = \(milliseconds)"]
    }

    /// `statement_timeout`'s unit, within what the setting takes (at least 1: 0 would mean none).
    static func milliseconds(_ seconds: TimeInterval) -> Int {
        Int(max(1, min(2_147_483_647, (seconds * 1000).rounded())))
    }
}
