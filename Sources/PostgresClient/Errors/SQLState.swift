/// A SQLSTATE code (PostgreSQL docs, appendix A), with the ones the store handles by name.
public struct SQLState: Sendable, Hashable, CustomStringConvertible {
    /// The five characters, `23505`.
    public let code: String

    public init(_ code: String) { self.code = code }

    /// The two-character class, `23` (integrity constraint violation).
    public var errorClass: String { String(code.prefix(2)) }
    public var description: String { code }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let notNullViolation = SQLState("23502")
    public static let checkViolation = SQLState("23514")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    /// A statement ran past `statement_timeout` (or was cancelled).
    public static let queryCanceled = SQLState("57014")
    public static let lockNotAvailable = SQLState("55P03")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")
    public static let cannotConnectNow = SQLState("57P03")
    public static let invalidPassword = SQLState("28P01")
    public static let invalidAuthorization = SQLState("28000")
    public static let undefinedTable = SQLState("42P01")
    public static let syntaxError = SQLState("42601")
    public static let inFailedTransaction = SQLState("25P02")
    /// A prepared statement's result type changed under it (a migration altered a table).
    public static let cachedPlanChanged = SQLState("0A000")

    /// Worth running the whole transaction again: the server rolled it back to keep
    /// serializability, or to break a deadlock.
    public var isTransactionRetryable: Bool { self == .serializationFailure || self == .deadlockDetected }

    /// The server is going away or not accepting connections: the connection is lost.
    public var meansConnectionLost: Bool {
        errorClass == "08" || self == .adminShutdown || self == .crashShutdown || self == .cannotConnectNow
    }
}
