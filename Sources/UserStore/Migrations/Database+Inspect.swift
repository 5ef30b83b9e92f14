import Foundation
import Glibc

/// What a database file would need before `clave serve` can use it, found without changing
/// the file: `clave check` reports it, `Database.migrate` is what acts on it.
public struct DatabaseInspection: Sendable, Equatable {
    /// The state of the file at the path.
    public enum State: Sendable, Equatable {
        /// No file yet: the first start creates it and applies every migration.
        case absent
        /// A file at `version` (its `PRAGMA user_version`) lacking the migrations `pending`,
        /// empty when it is current.
        case present(version: Int, pending: [Int])
    }

    /// The file's path, as given.
    public let path: String
    /// Absent, or present at a version.
    public let state: State
    /// The version this build migrates to (``Database/supportedSchemaVersion``).
    public let supportedVersion: Int
}

extension Database {
    /// Inspects the file at `path` as `clave serve` would use it, changing nothing: the folder
    /// must exist and take new files (SQLite writes `-wal` and `-shm` files beside the
    /// database), an existing file must open for writing and be a SQLite database no newer
    /// than this build. The file is read through a read-only connection and never migrated.
    ///
    /// Writability is probed by opening, not by `access(2)`, which root passes on any folder
    /// that is not on a read-only file system.
    ///
    /// - Throws: `StoreError.cannotOpen` (missing or unwritable folder or file),
    ///   `.notADatabase`, `.newerSchema`, or another `StoreError` from SQLite.
    public static func inspect(path: String, migrations: [Migration] = Schema.migrations) throws(StoreError) -> DatabaseInspection {
        let supported = migrations.last?.version ?? 0
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .cannotOpen(path: path, message: "folder \(folder) does not exist")
        }
        let probe = folder + "/.clave-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let probeDescriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard probeDescriptor >= 0 else {
            throw .cannotOpen(path: path, message: "folder \(folder) does not take new files (\(String(cString: strerror(errno))))")
        }
        Glibc.close(probeDescriptor)
        unlink(probe)
        guard FileManager.default.fileExists(atPath: path) else {
            return DatabaseInspection(path: path, state: .absent, supportedVersion: supported)
        }
        let fileDescriptor = open(path, O_WRONLY)
        guard fileDescriptor >= 0 else {
            throw .cannotOpen(path: path, message: "the file does not open for writing (\(String(cString: strerror(errno))))")
        }
        Glibc.close(fileDescriptor)
        let connection = try SQLiteConnection(path: path, readOnly: true, configuration: .default)
        do {
            let version = try connection.queryOne("PRAGMA user_version") { try $0.int(0) } ?? 0
            if version > supported { throw StoreError.newerSchema(found: version, supported: supported) }
            let hasTable = try connection.queryOne(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") { _ in true } ?? false
            let recorded = hasTable
                ? Set(try connection.query("SELECT version FROM schema_migrations") { try $0.int(0) }) : []
            let pending = migrations.map(\.version).filter { !recorded.contains($0) }
            return DatabaseInspection(path: path, state: .present(version: version, pending: pending), supportedVersion: supported)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .sqlite(code: 1, message: "\(error)")
        }
    }
}
