/// The schema's state as recorded in the file: what `clave db status` reports and what
/// `Database.migrate` checks before each step.
public struct MigrationRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The file's schema version (`PRAGMA user_version`), 0 for a new file.
    ///
    /// ```swift
    /// let version = try database.read { try $0.migrations.schemaVersion() }
    /// ```
    public func schemaVersion() throws -> Int {
        try connection.queryOne("PRAGMA user_version") { try $0.int(0) } ?? 0
    }
}
