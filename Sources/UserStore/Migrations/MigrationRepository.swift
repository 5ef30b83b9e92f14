/// The schema's state as recorded in the store: what `clave db status` reports and what
/// `Database.migrate` checks before each step.
public struct MigrationRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The store's schema version, 0 for a new one: SQLite's `PRAGMA user_version`, or on
    /// PostgreSQL the highest step recorded in `schema_migrations`.
    ///
    /// ```swift
    /// let version = try database.read { try $0.migrations.schemaVersion() }
    /// ```
    public func schemaVersion() throws -> Int {
        switch connection.dialect {
        case .sqlite:
            return try connection.queryOne("PRAGMA user_version") { try $0.int(0) } ?? 0
        case .postgres:
            let exists = try connection.queryOne("SELECT to_regclass('schema_migrations') IS NOT NULL") { try $0.bool(0) } ?? false
            guard exists else { return 0 }
            return try connection.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { try $0.int(0) } ?? 0
        }
    }
}
