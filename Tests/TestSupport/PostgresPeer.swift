import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 for tests: Debian's `postgresql` package, run by the test itself.
///
/// `initdb` (SCRAM-SHA-256, password from a file) into a temporary folder owned by the
/// unprivileged `postgres` user (initdb and postgres refuse to run as root, and the tests run
/// as root), TLS on with a certificate from a test CA made with `openssl`, and `pg_ctl start`
/// on a free loopback port with the Unix socket in the same folder. `pg_hba.conf` gives one
/// role per authentication method, so tests can see what each method looks like to the client.
///
/// ``shared()`` starts one server per test process, stopped at exit; suites share it with a
/// database each (``createDatabase(_:)``). A test that restarts or stops the server makes its
/// own with ``init()``. Like ``SMTPPeer``: tests run when PostgreSQL is installed, and also when
/// `CLAVE_REQUIRE_REAL_PEERS=1` (`make test`), so a missing server fails them.
public final class PostgresPeer: @unchecked Sendable {
    /// Debian's PostgreSQL 15 binaries (not on `PATH`).
    public static let binaries = "/usr/lib/postgresql/15/bin"
    /// The unprivileged user the server runs as (the Debian package creates it; `scripts/deps.sh`
    /// makes sure it exists).
    public static let serviceUser = "postgres"

    /// The superuser initdb makes, and the roles `pg_hba.conf` treats each its own way.
    public static let adminUser = "clave_admin"
    public static let testUser = "clave_test"
    public static let testPassword = "test secret, with a comma = and an equals"
    public static let md5User = "clave_md5"
    public static let passwordUser = "clave_password"
    public static let trustUser = "clave_trust"
    public static let otherPassword = "other-secret"

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "\(binaries)/initdb") }
    public static var shouldRun: Bool { isInstalled || SMTPPeer.required }

    public let port: Int
    public let directory: TemporaryDirectory
    /// The CA that signed the server's certificate (for `sslrootcert`).
    public let caFile: String
    /// A CA that did not: verify-full against it must fail.
    public let wrongCAFile: String
    private let adminPassword = "admin-\(UUID().uuidString)"
    private var stopped = false

    private static let sharedPeer: Result<PostgresPeer, PeerError> = {
        do {
            let peer = try PostgresPeer()
            peerToStopAtExit = peer
            atexit { peerToStopAtExit?.stop() }
            return .success(peer)
        } catch let error as PeerError {
            return .failure(error)
        } catch {
            return .failure(PeerError("\(error)"))
        }
    }()

    /// The one server of this test process, started on first use.
    public static func shared() throws -> PostgresPeer { try sharedPeer.get() }

    /// Starts a server of its own (a few seconds: initdb, certificates, start).
    public init() throws {
        guard Self.isInstalled else {
            throw PeerError("PostgreSQL 15 is not installed in \(Self.binaries); run `make deps` (bash scripts/deps.sh)")
        }
        directory = try TemporaryDirectory(prefix: "clave-postgres")
        port = try NginxPeer.freePort()
        let dir = directory.url.path
        caFile = directory.path("ca.pem")
        wrongCAFile = directory.path("wrong-ca.pem")
        try Self.makeCertificates(in: directory)
        try adminPassword.write(toFile: directory.path("pwfile"), atomically: true, encoding: .utf8)
        if getuid() == 0 { try Self.run("/bin/chown", ["-R", "\(Self.serviceUser):", dir]) }
        try Self.run("/bin/chmod", ["0700", dir])
        try Self.asService("initdb", ["-D", "\(dir)/data", "-U", Self.adminUser, "--auth=scram-sha-256",
                                      "--pwfile=\(dir)/pwfile", "--no-sync", "--no-locale", "-E", "UTF8"])
        try Self.configure(directory: directory, port: port)
        try start()
        try setUpRoles()
    }

    deinit { stop() }

    /// Stops the server (fast shutdown: sessions are ended with FATAL 57P01).
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? Self.asService("pg_ctl", ["-D", directory.path("data"), "-m", "immediate", "-w", "stop"])
        // The shared peer is never released, so its folder goes here rather than in deinit.
        try? FileManager.default.removeItem(at: directory.url)
    }

    /// Starts the server (again, after ``stopKeepingData()``) and waits until it accepts connections.
    public func start() throws {
        try Self.asService("pg_ctl", ["-D", directory.path("data"), "-l", directory.path("server.log"), "-w", "-t", "60", "start"])
    }

    /// Stops the server (fast shutdown) and keeps its data, for a test of an outage.
    public func stopKeepingData() {
        _ = try? Self.asService("pg_ctl", ["-D", directory.path("data"), "-m", "fast", "-w", "stop"])
    }

    /// Stops the server with a fast shutdown and starts it again on the same port: every
    /// open session is ended, as when a database machine reboots.
    public func restart() throws {
        try Self.asService("pg_ctl", ["-D", directory.path("data"), "-l", directory.path("server.log"),
                                      "-m", "fast", "-w", "-t", "60", "restart"])
    }

    /// Runs SQL as the superuser over the Unix socket with `psql`; returns its unaligned output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let result = try ChildProcess.run(URL(fileURLWithPath: "\(Self.binaries)/psql"),
                                          ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory.url.path,
                                           "-p", String(port), "-U", Self.adminUser, "-d", database, "-c", sql],
                                          timeout: 60)
        guard result.status == 0 else { throw PeerError("psql failed: \(result.standardError)") }
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh database owned by ``testUser``, named after the suite plus a random suffix.
    public func createDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try psql("CREATE DATABASE \(name) OWNER \(Self.testUser)")
        return name
    }

    /// The server's log so far (for test failure messages).
    public var serverLog: String {
        (try? String(contentsOfFile: directory.path("server.log"), encoding: .utf8)) ?? ""
    }

    private func setUpRoles() throws {
        try psql("""
            CREATE ROLE \(Self.testUser) LOGIN CREATEDB PASSWORD '\(Self.testPassword)';
            SET password_encryption = 'md5';
            CREATE ROLE \(Self.md5User) LOGIN PASSWORD '\(Self.otherPassword)';
            RESET password_encryption;
            CREATE ROLE \(Self.passwordUser) LOGIN PASSWORD '\(Self.otherPassword)';
            CREATE ROLE \(Self.trustUser) LOGIN;
            """)
    }

    private static func configure(directory: TemporaryDirectory, port: Int) throws {
        let dir = directory.url.path
        let settings = """

            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(dir)'
            ssl = on
            ssl_cert_file = '\(dir)/server.pem'
            ssl_key_file = '\(dir)/server-key.pem'
            password_encryption = 'scram-sha-256'
            max_connections = 60
            shared_buffers = 16MB
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            deadlock_timeout = '100ms'
            log_min_messages = warning
            """
        let confPath = directory.path("data/postgresql.conf")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: confPath))
        handle.seekToEndOfFile()
        handle.write(Data(settings.utf8))
        try handle.close()
        let hba = """
            local all all trust
            host all \(md5User) 127.0.0.1/32 md5
            host all \(passwordUser) 127.0.0.1/32 password
            host all \(trustUser) 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256

            """
        try hba.write(toFile: directory.path("data/pg_hba.conf"), atomically: false, encoding: .utf8)
    }

    /// A test CA, a server certificate it signs for `localhost` only (so 127.0.0.1 is a wrong
    /// host for verify-full), and a second CA.
    private static func makeCertificates(in directory: TemporaryDirectory) throws {
        let openssl = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let ca = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        for name in ["ca", "wrong-ca"] {
            try run("/usr/bin/openssl", ["req", "-x509"] + openssl + ca + ["-days", "2", "-subj", "/CN=Clave test \(name)",
                                         "-keyout", directory.path("\(name)-key.pem"), "-out", directory.path("\(name).pem")])
        }
        try run("/usr/bin/openssl", ["req"] + openssl + ["-subj", "/CN=localhost", "-keyout", directory.path("server-key.pem"),
                                                         "-out", directory.path("server.csr")])
        try "subjectAltName=DNS:localhost\n".write(toFile: directory.path("server.ext"), atomically: true, encoding: .utf8)
        try run("/usr/bin/openssl", ["x509", "-req", "-in", directory.path("server.csr"), "-CA", directory.path("ca.pem"),
                                     "-CAkey", directory.path("ca-key.pem"), "-CAcreateserial", "-days", "2",
                                     "-extfile", directory.path("server.ext"), "-out", directory.path("server.pem")])
        try run("/bin/chmod", ["0600", directory.path("server-key.pem")])
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> ChildProcess.Result {
        let result = try ChildProcess.run(URL(fileURLWithPath: executable), arguments, timeout: 120)
        guard result.status == 0 else {
            throw PeerError("\(executable) \(arguments.first ?? "") failed: \(result.standardError) \(result.standardOutput)")
        }
        return result
    }

    /// Runs a PostgreSQL binary as the service user (initdb and postgres refuse root, and the
    /// tests run as root), or directly when the tests are not root.
    ///
    /// Through bash, which first closes every descriptor above 2: Foundation's `Process` learns
    /// that a child ended from a pipe the child inherits, and the server that `pg_ctl start`
    /// leaves running would otherwise hold it open forever, so the test would wait for ever.
    /// setpriv then execs the binary itself (runuser would stay as a parent process).
    @discardableResult
    private static func asService(_ binary: String, _ arguments: [String]) throws -> ChildProcess.Result {
        let closeInherited = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#
        let command = getuid() == 0
            ? ["/usr/bin/setpriv", "--reuid=\(serviceUser)", "--regid=\(serviceUser)", "--init-groups", "\(binaries)/\(binary)"]
            : ["\(binaries)/\(binary)"]
        return try run("/bin/bash", ["-c", closeInherited, "bash"] + command + arguments)
    }
}

nonisolated(unsafe) private var peerToStopAtExit: PostgresPeer?
