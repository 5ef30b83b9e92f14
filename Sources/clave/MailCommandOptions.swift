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
        var url: SMTPURL?
        if let text = arguments.option("smtp-url") {
            do { url = try SMTPURL(parsing: text) } catch { throw CLIError("--smtp-url: \(error)") }
        }
        let ehloName = arguments.option("ehlo-name") ?? "localhost"
        do {
            route = try MailRoute.choose(smtpURL: url, developmentMode: modeText == "development", ehloName: ehloName)
        } catch {
            throw CLIError(error.description)
        }
        configuration = try Self.mailConfiguration(&arguments, ehloName: ehloName)
    }

    /// The DKIM and Message-ID options (`--dkim-domain`, `--dkim-selector`, `--dkim-key`,
    /// `--mail-domain`), shared with `clave serve` so both sign the same way.
    static func mailConfiguration(_ arguments: inout Arguments, ehloName: String) throws -> MailConfiguration {
        var dkim: DKIMConfiguration?
        let dkimParts = (arguments.option("dkim-domain"), arguments.option("dkim-selector"), arguments.option("dkim-key"))
        switch dkimParts {
        case (nil, nil, nil):
            dkim = nil
        case let (domain?, selector?, key?):
            do {
                dkim = try DKIMConfiguration(domain: domain, selector: selector, keyPath: key)
            } catch {
                throw CLIError("DKIM: \(error)")
            }
        default:
            throw CLIError("DKIM needs all of --dkim-domain, --dkim-selector and --dkim-key")
        }
        return MailConfiguration(messageIDDomain: arguments.option("mail-domain"), ehloName: ehloName, dkim: dkim)
    }

    /// Opens and migrates the database.
    func openDatabase() throws -> Database {
        let database = try Database(path: databasePath)
        try database.migrate()
        return database
    }

    func makeTransport(database: Database) throws -> any MailTransport {
        try route.makeTransport(database: database, composer: MessageComposer(configuration: configuration))
    }
}
