import ClaveCrypto
import Foundation
import Mailer
import HTTPCore
import UserStore
import RecoveryFlows

/// What `clave serve` was asked to do, validated before anything starts.
///
/// `clave check` runs the same validation (``init(_:)``), then tests what these settings
/// name (database, DKIM key, SMTP server) without serving.
struct ServeConfiguration: Equatable {
    enum Mode: String, Equatable {
        case development, production
    }

    var host = "127.0.0.1"
    var port = 8080
    var databasePath = "clave.sqlite"
    var resources = "./Resources"
    var publicURL: URL
    var smtpURL: SMTPURL?
    /// Our name in EHLO (`--ehlo-name`); production requires it.
    var ehloName = "localhost"
    /// `--mail-domain` as given, nil when the reserved `*.example` domains are used.
    var mailDomain: String?
    /// DKIM signing as given (`--dkim-*`); the key is read by ``DKIMOptions/load()``.
    var dkim: DKIMOptions?
    /// `--no-dkim`: production sends unsigned mail, knowingly. The start banner warns, and a
    /// readiness report (`/readyz`) reports ``warnings``.
    var dkimDisabled = false
    var mode: Mode = .development
    var accessLog = true
    var workers: Int?
    /// Client connections open at once (`--max-connections`); nil: from the descriptor limit.
    var maxConnections: Int?
    /// The admin listener (`--admin-listen HOST:PORT` or `off`): `/metrics`, `/healthz`,
    /// `/readyz`. Default off in production, a free loopback port in development.
    var adminListen: ListenAddress?
    /// Who each portal's emails come from (`--mail-domain`).
    var senders = EmailSenders()
    /// Whether `publicURL` was derived from host and port (no `--public-url`).
    var publicURLIsDefault = false
    /// What housekeeping keeps (`--audit-retention-days`).
    var purgePolicy = PurgePolicy()
    /// How long SOI's temporary password lives (`--soi-temporary-minutes`, default 60 minutes).
    var soiTemporaryPasswordLifetime = SOIRecoveryConfiguration.defaultTemporaryPasswordLifetime
    /// Reverse proxies whose forwarding fields name the client (`--trusted-proxy`).
    var trustedProxies = TrustedProxies.none
    /// HTTPS served by Clave itself (`--tls-cert`, `--tls-key`); nil for plain HTTP.
    var tls: TLSCertificateFiles?
    /// `--redirect-http PORT`: a plain listener answering 308 to the https public URL.
    var redirectHTTPPort: Int?

    /// Reads every option (flag, then `CLAVE_*` environment variable, then default) and
    /// rejects inconsistent ones with a one-line `CLIError` (exit status 2).
    init(_ arguments: inout Arguments) throws {
        host = arguments.option("host") ?? host
        port = try arguments.integer("port", default: port, in: 0...65535)
        databasePath = arguments.option("db") ?? databasePath
        resources = arguments.option("resources") ?? resources
        let modeText = arguments.option("mode") ?? "development"
        guard let mode = Mode(rawValue: modeText) else {
            throw CLIError("--mode must be development or production, not '\(modeText)'")
        }
        self.mode = mode
        switch arguments.option("access-log") ?? "on" {
        case "on": accessLog = true
        case "off": accessLog = false
        case let other: throw CLIError("--access-log must be on or off, not '\(other)'")
        }
        purgePolicy.auditRetention = TimeInterval(try arguments.auditRetentionDays()) * 86_400
        soiTemporaryPasswordLifetime = TimeInterval(try arguments.soiTemporaryMinutes()) * 60
        trustedProxies = try arguments.trustedProxies()
        if arguments.option("workers") != nil {
            workers = try arguments.integer("workers", default: 0, in: 1...1024)
        }
        adminListen = try Self.adminAddress(arguments.option("admin-listen"), mode: mode)
        if arguments.option("max-connections") != nil {
            maxConnections = try arguments.integer("max-connections", default: 0, in: 1...1_000_000)
        }
        if let text = arguments.option("mail-domain") {
            guard let senders = EmailSenders(configuredDomain: text) else {
                throw CLIError("--mail-domain must be a domain name such as correo.example.co (letters, digits, dots, hyphens)")
            }
            self.senders = senders
            mailDomain = text
        }
        guard !databasePath.isEmpty else { throw CLIError("--db must name a file or a postgres:// URL") }
        _ = try DBCommand.location(databasePath)
        (tls, redirectHTTPPort) = try Self.tlsOptions(&arguments)
        smtpURL = try MailCommandOptions.smtpURL(&arguments)
        ehloName = arguments.option("ehlo-name") ?? ehloName
        dkim = try MailCommandOptions.dkimOptions(&arguments)
        dkimDisabled = arguments.flag("no-dkim")
        if dkimDisabled, dkim != nil {
            throw CLIError("--no-dkim contradicts --dkim-domain, --dkim-selector and --dkim-key: give one or the other")
        }
        if let text = arguments.option("public-url") {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw CLIError("--public-url must be an http:// or https:// URL, not '\(text)'")
            }
            publicURL = url
        } else {
            publicURL = Self.defaultPublicURL(host: host, port: port, https: tls != nil)
            publicURLIsDefault = true
        }
        if mode == .development, !arguments.flag(Self.unsafeDevelopmentFlag) {
            // Development mode serves every user's mail (/_correo) and the captcha answers: it
            // must never run where anyone but this machine's user can reach it by accident.
            guard Self.isLoopbackListenAddress(host) else {
                throw CLIError("development mode listens only on this machine (127.0.0.1, ::1 or localhost), not '\(host)': "
                               + "it serves every user's mail; use --mode production, or --\(Self.unsafeDevelopmentFlag)")
            }
            // HTTPS served here on loopback is a developer trying TLS, not a deployment.
            guard publicURL.scheme != "https" || tls != nil else {
                throw CLIError("development mode with an https public URL looks like a deployment: use --mode production, "
                               + "or --\(Self.unsafeDevelopmentFlag)")
            }
        }
        if mode == .production { try refuseWhatWouldHurtInProduction() }
    }

    /// `--db`'s folder exists (SQLite creates the file, not its folder); `clave serve` checks
    /// it before opening, `clave check` as part of its database check.
    func checkDatabaseFolder() throws {
        guard case .sqlite = try DBCommand.location(databasePath) else { return }
        let folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("--db: folder '\(folder)' does not exist")
        }
    }

    /// The flag that lets development mode listen beyond loopback or take an https public URL;
    /// its name says what it costs.
    static let unsafeDevelopmentFlag = "unsafe-development-on-network"

    /// Whether `host` (a `--host` value) only listens on this machine.
    static func isLoopbackListenAddress(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower == "[::1]" { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// `http://HOST:PORT` (`https://` when Clave serves TLS), the public URL when none is given.
    static func defaultPublicURL(host: String, port: Int, https: Bool = false) -> URL {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return URL(string: "\(https ? "https" : "http")://\(shownHost):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// These settings once the server listens on `port`: a default public URL names the
    /// bound port (`--port 0` picks one only when the server starts).
    func listening(on port: Int) -> ServeConfiguration {
        var settings = self
        settings.port = port
        if publicURLIsDefault { settings.publicURL = Self.defaultPublicURL(host: host, port: port, https: tls != nil) }
        return settings
    }
}

extension ServeConfiguration {
    /// `--admin-listen`: `HOST:PORT` (`[::1]:9464` for IPv6), or `off`; unset, development takes
    /// a free loopback port and production none, so metrics never reach the public by default.
    static func adminAddress(_ text: String?, mode: Mode) throws -> ListenAddress? {
        guard let text else { return mode == .development ? ListenAddress(host: "127.0.0.1", port: 0) : nil }
        if text == "off" { return nil }
        let usage = "--admin-listen must be HOST:PORT (such as 127.0.0.1:9464 or [::1]:9464) or off, not '\(text)'"
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw CLIError(usage)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("["), !host.contains("]") else { throw CLIError(usage) }
        return ListenAddress(host: host, port: port)
    }
}

/// An address to listen on: host (IPv4, IPv6 without brackets, or a name) and port (0: any free).
struct ListenAddress: Equatable {
    var host: String
    var port: Int
}
