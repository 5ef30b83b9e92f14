import PostgresClient

/// Where the store lives, as `--db` (or `CLAVE_DB`) names it: a file path selects the embedded
/// SQLite engine, a `postgres://` (or `postgresql://`) URL a PostgreSQL server shared by
/// several nodes.
///
/// ```swift
/// try DatabaseLocation("var/clave.sqlite")                                       // .sqlite
/// try DatabaseLocation("postgres://clave:s3cret@db.internal/clave?sslmode=verify-full&sslrootcert=/etc/clave/pg-ca.pem")
/// ```
public enum DatabaseLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresConfiguration)

    /// Parses `text`; a URL is checked whole (an unknown parameter or a bad `sslmode` is an
    /// error, never a silent fallback to plain text).
    public init(_ text: String) throws(StoreError) {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else {
            self = .sqlite(path: text)
            return
        }
        do {
            self = .postgres(try PostgresConfiguration(url: text))
        } catch {
            throw .cannotOpen(path: "the PostgreSQL URL", message: "\(error)")
        }
    }

    /// Whether the store is a PostgreSQL server.
    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The path, or the URL without its password: safe for logs and banners.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let configuration): configuration.redactedDescription
        }
    }
}
