import Foundation
import PostgresClient

/// A ``PostgresConnection`` as the repositories see it: the several-node engine's
/// ``StoreConnection``.
///
/// The repositories write SQLite's numbered parameters (`?1`); they become PostgreSQL's (`$1`)
/// here, once per statement text for the engine's life (``PlaceholderTranslations``). Values
/// cross as the five SQLite storage classes: integers as int8, reals as float8, text, blobs as
/// bytea, NULL untyped (the server infers its type from where it stands). Every error becomes a
/// ``StoreError`` shaped by what the caller does about it.
///
/// A connection is handed out for one transaction and used by one thread (as a SQLite one).
final class PostgresStoreConnection: StoreConnection {
    let connection: PostgresConnection
    private let translations: PlaceholderTranslations

    init(_ connection: PostgresConnection, translations: PlaceholderTranslations) {
        self.connection = connection
        self.translations = translations
    }

    /// PostgreSQL's.
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) -> Int {
        try run(sql, arguments).affectedRows
    }

    func executeDeferred(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) {
        let text = try postgresSQL(sql)
        let values = try Self.values(arguments)
        do {
            try connection.executeDeferred(text, values)
        } catch {
            throw Self.storeError(error)
        }
    }

    func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> [T] {
        let result = try run(sql, arguments)
        return try result.rows.map { try map(Self.row($0)) }
    }

    func queryOne<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> T? {
        let result = try run(sql, arguments)
        guard let first = result.rows.first else { return nil }
        return try map(Self.row(first))
    }

    func executeScript(_ sql: String) throws(StoreError) {
        do {
            try connection.simpleQuery(sql)
        } catch {
            throw Self.storeError(error)
        }
    }

    private func run(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) -> PostgresQueryResult {
        let text = try postgresSQL(sql)
        let values = try Self.values(arguments)
        do {
            return try connection.query(text, values)
        } catch {
            throw Self.storeError(error)
        }
    }

    private func postgresSQL(_ sql: String) throws(StoreError) -> String {
        try translations.postgres(sql)
    }

    /// The parameters as PostgreSQL values. Text holding U+0000 is refused here with a typed
    /// error: PostgreSQL's text cannot hold it, and cutting it off at the NUL (as a C string
    /// would) could make two different keys one. (Identifiers never get this far with one:
    /// ``ControlCharacters`` refuses them at the form.)
    static func values(_ arguments: [any SQLBindable]) throws(StoreError) -> [PostgresValue] {
        var values: [PostgresValue] = []
        values.reserveCapacity(arguments.count)
        for (index, argument) in arguments.enumerated() {
            let value = argument.sqlValue
            if case .text(let text) = value, Self.containsNUL(text) {
                throw .invalidValue(column: "parameter \(index + 1)", reason: "text holds a NUL character, which PostgreSQL cannot store")
            }
            values.append(Self.value(value))
        }
        return values
    }

    /// Whether `text` holds a NUL, with `memchr` over its bytes: an email body is kilobytes, and
    /// the generic `contains` stepped through them one by one (1.3% of the store bench's CPU).
    static func containsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
    }

    static func value(_ value: SQLValue) -> PostgresValue {
        switch value {
        case .null: .null
        case .integer(let v): .int64(v)
        case .real(let v): .float64(v)
        case .text(let v): .text(v)
        case .blob(let v): .bytea(v)
        }
    }

    static func row(_ row: PostgresRow) -> Row {
        Row(values: row.values.map(sqlValue), columns: row.columns)
    }

    static func sqlValue(_ value: PostgresValue) -> SQLValue {
        switch value {
        case .null: .null
        case .int64(let v): .integer(v)
        case .float64(let v): .real(v)
        case .bool(let v): .integer(v ? 1 : 0)
        case .text(let v): .text(v)
        case .bytea(let v): .blob(v)
        case .timestamptz(let date): .real(date.timeIntervalSince1970)
        }
    }

    /// The store's error for a PostgreSQL one, by what the caller does about it.
    static func storeError(_ error: PostgresError) -> StoreError {
        if error.isConnectionLost { return .unavailable(message: error.description) }
        if error.isTransactionRetryable { return .conflict(message: error.description) }
        switch error {
        case .poolTimeout, .closed, .connectionFailed, .connectionLost, .tls, .authentication:
            return .unavailable(message: error.description)
        case .server(let server):
            let message = server.description
            switch server.sqlState {
            case .uniqueViolation: return .constraint(.unique, message: message)
            case .foreignKeyViolation: return .constraint(.foreignKey, message: message)
            case .notNullViolation: return .constraint(.notNull, message: message)
            case .checkViolation: return .constraint(.check, message: message)
            case .queryCanceled, .lockNotAvailable: return .busy(message: message)
            default:
                if server.sqlState.errorClass == "23" { return .constraint(.other, message: message) }
                return .postgres(sqlState: server.sqlState.code, message: message)
            }
        case .decoding(let column, let reason):
            return .invalidValue(column: column, reason: reason)
        default:
            return .postgres(sqlState: nil, message: error.description)
        }
    }

    /// ``storeError(_:)`` for any error a body or the pool threw: store errors pass unchanged.
    static func translating(_ error: any Error) -> any Error {
        if let postgres = error as? PostgresError { return storeError(postgres) as StoreError }
        return error
    }
}
