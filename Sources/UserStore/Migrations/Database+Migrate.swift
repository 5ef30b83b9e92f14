import Foundation

extension Database {
    /// The schema version this build knows: the last migration's.
    public static var supportedSchemaVersion: Int { Schema.migrations.last?.version ?? 0 }

    /// The file's schema version (`PRAGMA user_version`), 0 for a new file.
    public func schemaVersion() throws -> Int {
        try write { connection in try Database.schemaVersion(connection) }
    }

    static func schemaVersion(_ connection: Connection) throws -> Int {
        try connection.queryOne("PRAGMA user_version") { try $0.int(0) } ?? 0
    }

    /// Applies every migration newer than the file, in order, each in its own transaction.
    /// Returns the versions applied (empty when the file was current). Refuses a file written by
    /// a newer Clave with `StoreError.newerSchema` rather than run old code against it.
    @discardableResult
    public func migrate(_ migrations: [Migration] = Schema.migrations) throws -> [Int] {
        let supported = migrations.last?.version ?? 0
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try write { connection -> Bool in
                // Checked inside the transaction: two processes migrating at once see each
                // other's result instead of applying a step twice.
                let current = try Database.schemaVersion(connection)
                if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }
                guard current < migration.version else { return false }
                try connection.executeScript("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        applied_at REAL NOT NULL
                    )
                    """)
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    [migration.version, migration.name, Date()])
                // PRAGMA takes no parameters; the version is an Int from code, not input.
                try connection.executeScript("PRAGMA user_version = \(migration.version)")
                return true
            }
            if didApply {
                applied.append(migration.version)
                log.info("migrated", ["version": String(migration.version), "name": migration.name])
            }
        }
        if migrations.isEmpty {
            let current = try schemaVersion()
            if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }
        }
        return applied
    }
}
