import Foundation
import UserStore

/// `clave db migrate|status`: brings the database file to this build's schema.
struct DBCommand: Command {
    static let name = "db"
    static let summary = "Database maintenance: migrate, status, purge"
    static let usage = """
    Usage: clave db migrate [--db FILE|URL]
           clave db status  [--db FILE|URL]
           clave db purge   [--db FILE|URL] [--audit-retention-days N]

    migrate  applies every schema migration the file lacks, in order, one transaction each.
             Running it again changes nothing. A file from a newer Clave is refused.
    status   prints the schema version and runs SQLite's integrity check (on PostgreSQL,
             that the server answers).
    purge    deletes what can no longer be used: reset tokens expired over 7 days ago, expired
             sessions, captchas expired or used over a day ago, rate-limit windows over a day old,
             audit entries older than --audit-retention-days (default 180).
             `clave serve` does the same every 15 minutes while it runs.

    Options:
      --db FILE|URL   the SQLite file, or postgres://USER:PASSWORD@HOST:5432/NAME?sslmode=verify-full
                      &sslrootcert=CA.pem for a PostgreSQL server shared by several nodes
                      (env CLAVE_DB; default \(DBCommand.defaultPath))
      --audit-retention-days N   purge only: days of audit log to keep, 1 to 3650
                                 (env CLAVE_AUDIT_RETENTION_DAYS; default 180)
    """

    /// The database file unless told otherwise: the same default as `clave serve` (README).
    static let defaultPath = "clave.sqlite"

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let action = arguments.popPositional()
        let path = arguments.option("db") ?? defaultPath
        let shown = try location(path).description
        let auditDays = action == "purge" ? try arguments.auditRetentionDays() : nil
        try arguments.finish()
        switch action {
        case "migrate":
            let database = try open(path, migrate: false)
            let applied = try database.migrate()
            let version = try database.read { tx in try tx.migrations.schemaVersion() }
            if applied.isEmpty {
                print("\(shown): already at schema version \(version); nothing to do.")
            } else {
                print("\(shown): migrated to schema version \(version) (applied \(applied.map(String.init).joined(separator: ", "))).")
            }
            return 0
        case "status":
            let database = try open(path, migrate: false)
            let version = try database.read { tx in try tx.migrations.schemaVersion() }
            print("\(try location(path).isPostgres ? "server" : "file"): \(shown)")
            print("schema version: \(version) (this build knows \(Database.supportedSchemaVersion))")
            print("integrity: \(try database.integrityCheck())")
            return 0
        case "purge":
            var policy = PurgePolicy()
            policy.auditRetention = TimeInterval(auditDays ?? 180) * 86_400
            let database = try open(path)
            let counts = try UsersCommand.storeErrors { try database.purge(now: Date(), policy: policy) }
            print("Purged \(counts.resetTokens) reset tokens, \(counts.sessions) sessions, \(counts.captchas) captchas, "
                  + "\(counts.rateLimitCounters) rate-limit counters, \(counts.loginThrottles) login throttles, \(counts.auditEntries) audit entries.")
            return 0
        case nil:
            throw CLIError("missing action; use 'clave db migrate', 'clave db status' or 'clave db purge'")
        case let other?:
            throw CLIError("unknown action '\(other)'; use 'migrate', 'status' or 'purge'")
        }
    }

    /// Opens (creating a SQLite file's folder if needed) and, unless told not to, migrates the
    /// store `--db` names, turning store errors into one-line CLI errors. A PostgreSQL store is
    /// reached at once, so an unreachable server or a wrong password fails here, clearly.
    static func open(_ text: String, migrate: Bool = true) throws -> Database {
        let location = try location(text)
        if case .sqlite(let path) = location {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        do {
            let database = try Database(location: location)
            if migrate {
                try database.migrate()
            } else if location.isPostgres {
                _ = try database.read { tx in try tx.migrations.schemaVersion() }
            }
            return database
        } catch let error as StoreError {
            throw CLIError("\(location): \(error)", status: 1)
        }
    }

    /// `--db`'s value as a location: a path, or a checked `postgres://` URL.
    static func location(_ text: String) throws -> DatabaseLocation {
        do {
            return try DatabaseLocation(text)
        } catch {
            throw CLIError("--db: \(error)")
        }
    }
}
