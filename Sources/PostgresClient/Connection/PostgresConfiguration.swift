import ClaveLog
import Foundation

/// How the TLS link to the server is set up, as libpq's `sslmode` (the three modes that
/// mean something for a service; `prefer` and `allow` silently fall back to plain text and
/// are refused).
public enum PostgresSSLMode: String, Sendable, Equatable {
    /// Plain TCP: for a loopback or a private link only.
    case disable
    /// TLS, but the certificate is not checked: protects against listening, not against a
    /// man in the middle.
    case require
    /// TLS with the chain checked against `sslrootcert` (or the system store) and the host
    /// name checked against the certificate: the default.
    case verifyFull = "verify-full"
}

/// Where and how to connect. Made in code or from a URL:
/// `postgres://user:password@host:5432/clave?sslmode=verify-full&sslrootcert=/etc/clave/pg-ca.pem`.
public struct PostgresConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    public var sslMode: PostgresSSLMode
    /// A PEM file of CA certificates to trust for `verify-full`; nil for the system store.
    public var sslRootCertificate: String?
    /// Sent as `application_name`: shows in `pg_stat_activity`.
    public var applicationName: String
    /// Seconds to wait for TCP connect (and the TLS handshake and authentication).
    public var connectTimeout: TimeInterval
    /// Seconds a read or write may block once connected: well above any statement timeout, so
    /// it fires only when the server or the network is gone.
    public var ioTimeout: TimeInterval
    /// Named prepared statements kept per connection (least recently used dropped first).
    public var statementCacheCapacity: Int
    /// The session's `statement_timeout`, in seconds, sent in the startup message (nil: the
    /// server's). A transaction whose own timeout is the same sends no `SET LOCAL`: at eight
    /// connections that statement cost a tenth of the server's rate (pgbench, this machine).
    public var statementTimeout: TimeInterval?
    /// Where NoticeResponses (and dropped connections) are logged.
    public var logger: Logger

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String, database: String,
                sslMode: PostgresSSLMode = .verifyFull, sslRootCertificate: String? = nil,
                applicationName: String = "clave", connectTimeout: TimeInterval = 5, ioTimeout: TimeInterval = 60,
                statementCacheCapacity: Int = 256, statementTimeout: TimeInterval? = nil,
                logger: Logger = Logger(label: "postgres")) {
        self.statementTimeout = statementTimeout
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.sslRootCertificate = sslRootCertificate
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.ioTimeout = ioTimeout
        self.statementCacheCapacity = statementCacheCapacity
        self.logger = logger
    }

    /// Parses `postgres://` or `postgresql://` URLs. User and password are percent-decoded;
    /// the query may hold `sslmode`, `sslrootcert`, `application_name` and `connect_timeout`,
    /// and any other key is an error (a typo in `sslmode` must not mean "no TLS").
    public init(url text: String, logger: Logger = Logger(label: "postgres")) throws(PostgresError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw .configuration("not a postgres:// URL")
        }
        guard let host = components.host, !host.isEmpty else { throw .configuration("the URL has no host") }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .configuration("the URL has no user")
        }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw .configuration("the URL names no database (postgres://user@host/NAME)") }
        self.init(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
                  port: components.port ?? 5432, user: user,
                  password: components.password.flatMap { $0.removingPercentEncoding } ?? "",
                  database: database, logger: logger)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = PostgresSSLMode(rawValue: value) else {
                    throw .configuration("sslmode \(value) is not one of disable, require, verify-full")
                }
                sslMode = mode
            case "sslrootcert": sslRootCertificate = value
            case "application_name": applicationName = value
            case "connect_timeout":
                guard let seconds = TimeInterval(value), seconds > 0 else { throw .configuration("connect_timeout must be a positive number") }
                connectTimeout = seconds
            default:
                throw .configuration("unknown URL parameter \(item.name)")
            }
        }
        guard (1...65_535).contains(port) else { throw .configuration("port \(port) is out of range") }
    }

    /// The URL without the password, for logs.
    public var redactedDescription: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }
}
