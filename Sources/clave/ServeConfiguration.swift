import Foundation
import HTTPCore
import UserStore
import RecoveryFlows

/// What `clave serve` was asked to do, validated before anything starts.
///
/// `--db` and `--smtp-url` are checked and kept here for the store and mailer issues that
/// will use them.
struct ServeConfiguration: Equatable {
    enum Mode: String, Equatable {
        case development, production
    }

    var host = "127.0.0.1"
    var port = 8080
    var databasePath = "clave.sqlite"
    var resources = "./Resources"
    var publicURL: URL
    var smtpURL: URL?
    var mode: Mode = .development
    var accessLog = true
    var workers: Int?
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
        if let text = arguments.option("mail-domain") {
            guard let senders = EmailSenders(configuredDomain: text) else {
                throw CLIError("--mail-domain must be a domain name such as correo.example.co (letters, digits, dots, hyphens)")
            }
            self.senders = senders
        }
        guard !databasePath.isEmpty else { throw CLIError("--db must name a file") }
        let folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("--db: folder '\(folder)' does not exist")
        }

        if let text = arguments.option("smtp-url") {
            guard let url = URL(string: text), let scheme = url.scheme, ["smtp", "smtps"].contains(scheme), url.host != nil else {
                throw CLIError("--smtp-url must look like smtp://user:pass@host:587 or smtps://host:465")
            }
            smtpURL = url
        }
        if let text = arguments.option("public-url") {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw CLIError("--public-url must be an http:// or https:// URL, not '\(text)'")
            }
            publicURL = url
        } else {
            publicURL = Self.defaultPublicURL(host: host, port: port)
            publicURLIsDefault = true
        }
        if mode == .development, !arguments.flag(Self.unsafeDevelopmentFlag) {
            // Development mode serves every user's mail (/_correo) and the captcha answers: it
            // must never run where anyone but this machine's user can reach it by accident.
            guard Self.isLoopbackListenAddress(host) else {
                throw CLIError("development mode listens only on this machine (127.0.0.1, ::1 or localhost), not '\(host)': "
                               + "it serves every user's mail; use --mode production, or --\(Self.unsafeDevelopmentFlag)")
            }
            guard publicURL.scheme != "https" else {
                throw CLIError("development mode with an https public URL looks like a deployment: use --mode production, "
                               + "or --\(Self.unsafeDevelopmentFlag)")
            }
        }
        if mode == .production {
            guard publicURL.scheme == "https", arguments.option("public-url") != nil else {
                throw CLIError("production mode needs --public-url with an https:// URL")
            }
            guard smtpURL != nil else { throw CLIError("production mode needs --smtp-url") }
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

    /// `http://HOST:PORT`, the public URL when none is given.
    static func defaultPublicURL(host: String, port: Int) -> URL {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shownHost):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// These settings once the server listens on `port`: a default public URL names the
    /// bound port (`--port 0` picks one only when the server starts).
    func listening(on port: Int) -> ServeConfiguration {
        var settings = self
        settings.port = port
        if publicURLIsDefault { settings.publicURL = Self.defaultPublicURL(host: host, port: port) }
        return settings
    }
}
