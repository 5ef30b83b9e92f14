import Foundation
import Mailer
import UserStore

/// The options every mail-related command reads (`outbox`, `mail`): the database, where mail
/// goes and how it is signed. Each also comes from its `CLAVE_*` environment variable, so the
/// server and these commands see the same configuration.
struct MailCommandOptions {
    var databasePath: String
    var route: MailRoute
    var configuration: MailConfiguration

    static let usage = """
      --db FILE                 SQLite file (default clave.sqlite, as serve; CLAVE_DB)
      --smtp-url URL            smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465,
                                smtp+plain://host:25 (no TLS, no AUTH); ?ca=/path/ca.pem trusts
                                that CA file. Without it, development mode uses the mailbox.
      --mode MODE               development (default) or production
      --ehlo-name NAME          our name in EHLO (default localhost)
      --mail-domain DOMAIN      Message-ID domain (default: each sender's domain)
      --dkim-domain DOMAIN      DKIM signing domain (d=); with --dkim-selector and --dkim-key
      --dkim-selector NAME      DKIM selector (s=)
      --dkim-key FILE           PEM RSA private key for DKIM
    """

    init(_ arguments: inout Arguments) throws {
        databasePath = arguments.option("db") ?? DBCommand.defaultPath
        let modeText = arguments.option("mode") ?? "development"
        guard modeText == "development" || modeText == "production" else {
            throw CLIError("--mode must be development or production, not '\(modeText)'")
        }
        let url = try Self.smtpURL(&arguments)
        let ehloName = arguments.option("ehlo-name") ?? "localhost"
        do {
            route = try MailRoute.choose(smtpURL: url, developmentMode: modeText == "development", ehloName: ehloName)
        } catch {
            throw CLIError(error.description)
        }
        configuration = try Self.mailConfiguration(&arguments, ehloName: ehloName)
    }

    /// `--smtp-url` (`CLAVE_SMTP_URL`) parsed by ``SMTPURL``: the one reading of the option for
    /// `serve`, `check`, `mail` and `outbox`, so every command takes the same forms.
    static func smtpURL(_ arguments: inout Arguments) throws -> SMTPURL? {
        guard let text = arguments.option("smtp-url") else { return nil }
        do { return try SMTPURL(parsing: text) } catch { throw CLIError("--smtp-url: \(error)") }
    }

    /// `--dkim-domain`, `--dkim-selector` and `--dkim-key`: all three or none. The key file is
    /// read later, by ``DKIMOptions/load()``.
    static func dkimOptions(_ arguments: inout Arguments) throws -> DKIMOptions? {
        switch (arguments.option("dkim-domain"), arguments.option("dkim-selector"), arguments.option("dkim-key")) {
        case (nil, nil, nil): return nil
        case let (domain?, selector?, keyPath?): return DKIMOptions(domain: domain, selector: selector, keyPath: keyPath)
        default: throw CLIError("DKIM needs all of --dkim-domain, --dkim-selector and --dkim-key")
        }
    }

    /// The DKIM and Message-ID options (`--dkim-domain`, `--dkim-selector`, `--dkim-key`,
    /// `--mail-domain`), read and loaded the way `clave serve` does, so both sign the same way.
    static func mailConfiguration(_ arguments: inout Arguments, ehloName: String) throws -> MailConfiguration {
        let dkim = try dkimOptions(&arguments)?.load()
        return MailConfiguration(messageIDDomain: arguments.option("mail-domain"), ehloName: ehloName, dkim: dkim)
    }

    /// Opens and migrates the database.
    func openDatabase() throws -> Database {
        try DBCommand.open(databasePath)
    }

    func makeTransport(database: Database) throws -> any MailTransport {
        try route.makeTransport(database: database, composer: MessageComposer(configuration: configuration))
    }
}
