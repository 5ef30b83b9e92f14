/// One numbered step of the schema. Steps are applied in order, each in its own transaction, and
/// recorded in the file (`PRAGMA user_version` and the `schema_migrations` table), so running
/// them again changes nothing.
public struct Migration: Sendable {
    /// The version the file has after this step; versions start at 1 and have no gaps.
    public let version: Int
    /// A short name, recorded for operators (`create users`).
    public let name: String
    /// The statements, fixed text with no input in it, in SQLite's types (PostgreSQL's text
    /// is derived from it: ``sql(for:)``).
    public let sql: String
    /// PostgreSQL's text when the derived one will not do; nil for nearly every step.
    public let postgresSQL: String?

    /// Creates a value from its fields.
    public init(version: Int, name: String, sql: String, postgresSQL: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.postgresSQL = postgresSQL
    }
}
