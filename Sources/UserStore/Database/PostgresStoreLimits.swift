import Foundation
import PostgresClient

/// How the store uses a PostgreSQL server: the pool's bounds and what one statement may take.
/// The defaults suit one `clave serve` node among a few sharing a server.
public struct PostgresStoreLimits: Sendable, Equatable {
    /// Connections, checkout wait and transaction retries (``PostgresPoolLimits``). Default: 8
    /// connections, 5 s checkout, 5 attempts.
    public var pool: PostgresPoolLimits
    /// Seconds any one statement may run before the server cancels it. Default 5: a request
    /// never waits on the database longer than its own timeouts allow.
    public var statementTimeout: TimeInterval

    public init(pool: PostgresPoolLimits = PostgresPoolLimits(), statementTimeout: TimeInterval = 5) {
        self.pool = pool
        self.statementTimeout = statementTimeout
    }

    /// The values above.
    public static let `default` = PostgresStoreLimits()
}
