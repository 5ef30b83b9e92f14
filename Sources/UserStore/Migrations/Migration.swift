/// One numbered step of the schema. Steps are applied in order, each in its own transaction, and
/// recorded in the file (`PRAGMA user_version` and the `schema_migrations` table), so running
/// them again changes nothing.
public struct Migration: Sendable {
    /// The version the file has after this step; versions start at 1 and have no gaps.
    public let version: Int
    /// A short name, recorded for operators (`create users`).
    public let name: String
    /// The statements, fixed text with no input in it.
    public let sql: String

    /// Creates a value from its fields.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
