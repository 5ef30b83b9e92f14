import ClaveTime
import Foundation

extension Database {
    /// The schema version this build knows: the last migration's.
    public static var supportedSchemaVersion: Int { Schema.migrations.last?.version ?? 0 }

    /// Applies every migration newer than the file, in order, each in its own transaction.
    /// Returns the versions applied (empty when the file was current). Refuses a file written by
    /// a newer Clave with `StoreError.newerSchema` rather than run old code against it. `clock`
    /// dates the `schema_migrations` rows. (The file's version: `tx.migrations.schemaVersion()`.)
    @discardableResult
    public func migrate(_ migrations: [Migration] = Schema.migrations, clock: any ClaveClock = SystemClock()) throws -> [Int] {
        let supported = migrations.last?.version ?? 0
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try write { tx -> Bool in
                let connection = tx.connection
                // Checked inside the transaction: two processes migrating at once see each
                // other's result instead of applying a step twice.
                let current = try tx.migrations.schemaVersion()
                if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }
                try connection.executeScript("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        applied_at REAL NOT NULL
                    )
                    """)
                // A step is due when it is not recorded, not merely when it is above the file's
                // version: two branches numbering steps 8 and 9 may ship in either order, and a
                // file that got 9 first must still get 8.
                let recorded = try connection.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?1",
                                                       [migration.version]) { _ in true } ?? false
                guard !recorded else { return false }
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    [migration.version, migration.name, clock.now()])
                // PRAGMA takes no parameters; the version is an Int from code, not input.
                try connection.executeScript("PRAGMA user_version = \(max(current, migration.version))")
                return true
            }
            if didApply {
                applied.append(migration.version)
                log.info("migrated", ["version": String(migration.version), "name": migration.name])
            }
        }
        if migrations.isEmpty {
            let current = try read { tx in try tx.migrations.schemaVersion() }
            if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }
        }
        return applied
    }
}
