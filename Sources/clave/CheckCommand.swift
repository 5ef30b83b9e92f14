import Foundation
import Mailer
import UserStore

/// `clave check`: validates what `clave serve` would be started with, without serving, and
/// changes nothing (the database is read, never created or migrated; the SMTP session sends no
/// mail). One line per check, so an operator fixes a deployment before the first reset fails.
enum CheckCommand: Command {
    static let name = "check"
    static let summary = "Check a serve configuration (settings, database, DKIM, SMTP) without serving"
    static let usage = """
    Usage: clave check [SERVE OPTIONS] [--tls-ca FILE]

    Takes the options and CLAVE_* environment variables of 'clave serve' (listed by
    'clave serve --help') and checks, without serving and without changing anything:

      settings   the validation 'clave serve' does before it starts (production requirements
                 included)
      database   --db opens for writing, its folder takes new files, and the file is at this
                 build's schema version; an older file is reported as "needs migration N→M"
                 (serve migrates it at start) and left as it is
      dkim       the --dkim-key is a readable RSA key of at least 1024 bits (2048 recommended);
                 prints the DNS TXT record to publish
      smtp       connects to --smtp-url, EHLO, STARTTLS when the URL asks for it, AUTH, QUIT;
                 a refusal shows the server's reply

      tls        (with --tls-cert) --tls-cert and --tls-key: both readable, the key the certificate's, valid now,
                 the chain in order; the days left (warn under 21), and whether the chain
                 verifies against this machine's trust store, or against the CA
                 certificates in --tls-ca FILE (PEM) when a private CA issued it (warn if not:
                 its clients must trust the issuer themselves)

    Each line starts with ok, warn (works, but read it), skip (not configured) or FAIL (with
    the reason and what to do). Exit status: 0 when nothing failed, 1 when a check failed,
    2 when the options cannot be read.
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let trustedCAs = arguments.option("tls-ca")
        let settings: ServeConfiguration
        do {
            settings = try ServeConfiguration(&arguments)
        } catch let error as CLIError {
            // The remaining checks need usable settings; `serve` would stop here too.
            print(CheckResult(.fail, "settings", error.message + " (clave serve would refuse to start)"))
            print(CheckResult(.skip, "database, dkim, smtp, tls", "fix the settings first"))
            return 1
        }
        try arguments.finish()
        // The tls line only when HTTPS is served here: behind a proxy, the proxy's certificate matters.
        let results = [settingsCheck(settings), databaseCheck(settings), dkimCheck(settings), smtpCheck(settings)]
            + (settings.tls == nil ? [] : [tlsCheck(settings, caFile: trustedCAs)])
        for result in results { print(result) }
        return results.contains { $0.outcome == .fail } ? 1 : 0
    }

    static func settingsCheck(_ settings: ServeConfiguration) -> CheckResult {
        var detail = "\(settings.mode.rawValue) mode, public URL \(settings.publicURL.absoluteString)"
        if let domain = settings.mailDomain { detail += ", mail from \(domain)" }
        if settings.mode == .production { detail += ", EHLO \(settings.ehloName)" }
        return CheckResult(.ok, "settings", detail)
    }

    /// Opens nothing for writing: ``Database/inspect(path:migrations:)`` reads the file.
    static func databaseCheck(_ settings: ServeConfiguration) -> CheckResult {
        let path = settings.databasePath
        if let location = try? DBCommand.location(path), location.isPostgres {
            return postgresCheck(location)
        }
        let inspection: DatabaseInspection
        do {
            inspection = try Database.inspect(path: path)
        } catch {
            let advice: String = switch error {
            case .newerSchema: "run the Clave release that wrote it, or restore a backup"
            case .notADatabase, .corrupt: "point --db at the right file or restore a backup"
            default: "create the folder, give this user write access, or point --db elsewhere"
            }
            return CheckResult(.fail, "database", "\(path): \(error); \(advice)")
        }
        let target = inspection.supportedVersion
        switch inspection.state {
        case .absent:
            return CheckResult(.ok, "database", "\(path) does not exist yet; serve creates it and migrates 0→\(target)")
        case .present(let version, let pending) where pending.isEmpty:
            return CheckResult(.ok, "database", "\(path) opens for writing, schema version \(version) (current)")
        case .present(let version, _):
            return CheckResult(.ok, "database", "\(path) opens for writing, needs migration \(version)→\(target) "
                               + "(serve applies it at start, or run 'clave db migrate')")
        }
    }

    /// A PostgreSQL store: connects (TLS and SCRAM as serve would), reads the schema version,
    /// changes nothing.
    static func postgresCheck(_ location: DatabaseLocation) -> CheckResult {
        let target = Database.supportedSchemaVersion
        do {
            let database = try Database(location: location)
            defer { database.close() }
            let version = try database.read { tx in try tx.migrations.schemaVersion() }
            if version > target {
                return CheckResult(.fail, "database", "\(location): schema version \(version) is newer than the \(target) this Clave knows; "
                                   + "run the Clave release that wrote it")
            }
            if version == target {
                return CheckResult(.ok, "database", "\(location) answers, schema version \(version) (current)")
            }
            return CheckResult(.ok, "database", "\(location) answers, needs migration \(version)→\(target) "
                               + "(serve applies it at start, one node at a time, or run 'clave db migrate')")
        } catch {
            return CheckResult(.fail, "database", "\(location): \(error); check the URL, the password, sslrootcert "
                               + "and that the server accepts this host (pg_hba.conf)")
        }
    }

    static func dkimCheck(_ settings: ServeConfiguration) -> CheckResult {
        guard let options = settings.dkim else {
            if settings.dkimDisabled {
                return CheckResult(.warn, "dkim", settings.warnings.first ?? "off (--no-dkim)")
            }
            return CheckResult(.skip, "dkim", "not configured: mail is sent unsigned (production requires DKIM or --no-dkim)")
        }
        let configuration: DKIMConfiguration
        let record: String
        do {
            configuration = try options.load()
            record = try DKIMOptions.dnsRecord(configuration)
        } catch let error as CLIError {
            return CheckResult(.fail, "dkim", error.message.hasPrefix("DKIM: ") ? String(error.message.dropFirst(6)) : error.message)
        } catch {
            return CheckResult(.fail, "dkim", "cannot give the public key: \(error)")
        }
        let bits = configuration.signer.bits
        let name = "\(configuration.selector)._domainkey.\(configuration.domain)"
        guard bits >= 2048 else {
            return CheckResult(.warn, "dkim", "\(bits)-bit RSA key for \(name): it signs, but RFC 8301 recommends 2048 bits; "
                               + "make a new key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) "
                               + "and publish this TXT record:", more: [record])
        }
        return CheckResult(.ok, "dkim", "\(bits)-bit RSA key for \(name); publish this TXT record:", more: [record])
    }

    /// One SMTP session as the outbox worker opens it, then QUIT: no message is sent.
    static func smtpCheck(_ settings: ServeConfiguration) -> CheckResult {
        guard let url = settings.smtpURL else {
            return CheckResult(.skip, "smtp", "no --smtp-url: development mode delivers to the mailbox at /_correo")
        }
        let configuration = SMTPClientConfiguration(url: url, ehloName: settings.ehloName, connectTimeout: 10, ioTimeout: 30)
        do {
            let client = try SMTPClient(configuration: configuration)
            try client.open()
            let tls = client.isTLS ? (url.security == .startTLS ? ", STARTTLS" : ", TLS") : ""
            client.quit()
            let auth = url.username == nil ? " (no AUTH: the URL has no user)" : ", AUTH accepted"
            return CheckResult(.ok, "smtp", "\(url): EHLO \(settings.ehloName)\(tls)\(auth)")
        } catch {
            return CheckResult(.fail, "smtp", "\(url): \(error.description); \(advice(for: error))")
        }
    }

    static func advice(for error: SMTPError) -> String {
        switch error {
        case .connectionFailed, .timeout, .connectionClosed:
            "is the server running, and are the host and port in --smtp-url right?"
        case .unexpectedReply(let command, _) where command.hasPrefix("AUTH"):
            "check the user and password in --smtp-url (percent-encode @ : / as %40 %3A %2F)"
        case .startTLSUnavailable:
            "the server offers no STARTTLS: use smtps:// if it speaks implicit TLS, or fix the server"
        case .tls:
            "check the server's certificate and name, or trust its CA with ?ca=/path/ca.pem"
        case .authenticationUnavailable:
            "the server offers no AUTH PLAIN or LOGIN over TLS: check its configuration"
        default:
            "check --smtp-url and the server's logs"
        }
    }
}

/// One line of `clave check`: its outcome, the check's name and what was found, and
/// further lines to copy (the DKIM TXT record), indented under it.
struct CheckResult: CustomStringConvertible {
    enum Outcome: String {
        case ok = "ok  ", warn = "warn", skip = "skip", fail = "FAIL"
    }

    let outcome: Outcome
    let name: String
    let detail: String
    let more: [String]

    init(_ outcome: Outcome, _ name: String, _ detail: String, more: [String] = []) {
        self.outcome = outcome
        self.name = name
        self.detail = detail
        self.more = more
    }

    var description: String {
        ([outcome.rawValue + " \(name): \(detail)"] + more.map { "     " + $0 }).joined(separator: "\n")
    }
}
