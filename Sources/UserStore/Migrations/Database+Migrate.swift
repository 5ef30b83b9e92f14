import ClaveTime
import Foundation

extension Database {
    /// The schema version this build knows: the last migration's.
    public static var supportedSchemaVersion: Int { Schema.migrations.last?.version ?? 0 }

    /// The advisory lock every node takes before a migration step on PostgreSQL (a fixed key:
    /// "clave" and "migrate" in ASCII, folded into 63 bits). Held to the end of the step's
    /// transaction, so two nodes starting at once apply each step exactly once.
    static let migrationLockKey: Int64 = 0x636C_6176_656D_6967

    /// Applies every migration newer than the store, in order, each in its own transaction.
    /// Returns the versions applied (empty when the store was current). Refuses a store written
    /// by a newer Clave with `StoreError.newerSchema` rather than run old code against it.
    /// `clock` dates the `schema_migrations` rows. (The version: `tx.migrations.schemaVersion()`.)
    ///
    /// Several processes may call it at once. On SQLite each step's transaction holds the
    /// file's write lock; on PostgreSQL it first takes ``migrationLockKey`` as an advisory lock,
    /// and runs READ COMMITTED, so that a node which waited for the lock then sees the step the
    /// other node recorded and skips it.
    @discardableResult
    public func migrate(_ migrations: [Migration] = Schema.migrations, clock: any ClaveClock = SystemClock()) throws -> [Int] {
        let supported = migrations.last?.version ?? 0
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try writeLockingRows { tx -> Bool in
                let connection = tx.connection
                if connection.dialect == .postgres {
                    _ = try connection.queryOne("SELECT pg_advisory_xact_lock(?1)", [Self.migrationLockKey]) { _ in () }
                }
                // (PostgreSQL would log a notice for every step the table already exists.)
                let hasTable = connection.dialect == .sqlite
                    ? false : try connection.queryOne("SELECT to_regclass('schema_migrations') IS NOT NULL") { try $0.bool(0) } ?? false
                if !hasTable {
                    try connection.executeScript(Migration.bookkeeping.sql(for: connection.dialect))
                }
                // Checked inside the transaction: two processes migrating at once see each
                // other's result instead of applying a step twice.
                let current = try tx.migrations.schemaVersion()
                if current > supported { throw StoreError.newerSchema(found: current, supported: supported) }
                // A step is due when it is not recorded, not merely when it is above the store's
                // version: two branches numbering steps 8 and 9 may ship in either order, and a
                // store that got 9 first must still get 8.
                let recorded = try connection.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?1",
                                                       [migration.version]) { _ in true } ?? false
                guard !recorded else { return false }
                try connection.executeScript(migration.sql(for: connection.dialect))
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    [migration.version, migration.name, clock.now()])
                if connection.dialect == .sqlite {
                    // PRAGMA takes no parameters; the version is an Int from code, not input.
                    try connection.executeScript("PRAGMA user_version = \(max(current, migration.version))")
                }
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
