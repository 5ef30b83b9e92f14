import Foundation
import UserStore

/// The store the tests run against: a SQLite file in the test's folder by default, or, with
/// `CLAVE_TEST_STORE=postgres` (the second pass of `make test`), a fresh database of its own
/// on the shared real PostgreSQL (``PostgresPeer``) over TLS with SCRAM. The store's suite,
/// the flows' and the mailer's run unchanged on both, which is what "one store, two engines"
/// means.
public enum TestStore {
    /// The engine this test process uses.
    public static let dialect: SQLDialect =
        ProcessInfo.processInfo.environment["CLAVE_TEST_STORE"]?.lowercased() == "postgres" ? .postgres : .sqlite

    /// Whether tests run on PostgreSQL; tests of SQLite's file itself (WAL, crash files,
    /// pragmas) are for SQLite only: `.enabled(if: TestStore.isSQLite)`.
    public static var isSQLite: Bool { dialect == .sqlite }

    /// A new, empty store (not migrated): `clave.sqlite` in `directory`, or a new PostgreSQL
    /// database.
    public static func open(in directory: TemporaryDirectory, name: String = "clave.sqlite",
                            configuration: DatabaseConfiguration = .default) throws -> Database {
        try Database(location: DatabaseLocation(try newLocation(in: directory, name: name)), configuration: configuration)
    }

    /// What `--db` takes for a new, empty store: the file's path, or a new database's URL
    /// (with its password: for a child process's arguments, never for a log).
    public static func newLocation(in directory: TemporaryDirectory, name: String = "clave.sqlite") throws -> String {
        switch dialect {
        case .sqlite: directory.path(name)
        case .postgres: try postgresURL()
        }
    }

    /// A `postgres://` URL for a new database on the shared server (verify-full against the
    /// test CA).
    public static func postgresURL(prefix: String = "store") throws -> String {
        let peer = try PostgresPeer.shared()
        return peer.url(database: try peer.createDatabase(prefix))
    }
}

extension PostgresPeer {
    /// The URL `--db` takes for `database`, as ``testUser`` with TLS verified against ``caFile``.
    public func url(database: String) -> String {
        let password = Self.testPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "postgres://\(Self.testUser):\(password)@localhost:\(port)/\(database)?sslmode=verify-full&sslrootcert=\(caFile)"
    }
}
