import ClaveLog
import UserStore

/// Where mail goes, chosen once at start-up from `--smtp-url` and the mode: an SMTP server,
/// or in development without an SMTP URL the SQLite development mailbox. Production without an
/// SMTP URL has nowhere to send and is refused.
public enum MailRoute: Sendable, Equatable {
    case smtp(SMTPClientConfiguration)
    case developmentMailbox

    /// Why no route can be chosen.
    public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is missing.
        public let description: String
    }

    /// The route for the given options. `ehloName` goes into EHLO.
    public static func choose(smtpURL: SMTPURL?, developmentMode: Bool, ehloName: String = "localhost") throws(SelectionError) -> MailRoute {
        if let smtpURL { return .smtp(SMTPClientConfiguration(url: smtpURL, ehloName: ehloName)) }
        guard developmentMode else {
            throw SelectionError(description: "production mode needs --smtp-url: there is no development mailbox")
        }
        return .developmentMailbox
    }

    /// The transport for this route; the mailbox writes into `database`.
    public func makeTransport(database: Database, composer: MessageComposer,
                              logger: Logger = Logger(label: "mailer")) throws -> any MailTransport {
        switch self {
        case .smtp(let configuration):
            return try SMTPTransport(client: configuration, composer: composer, logger: logger)
        case .developmentMailbox:
            return DevelopmentMailbox(database: database, composer: composer, logger: logger)
        }
    }

    /// One line for operators: the SMTP URL without its password, or the mailbox.
    public var summary: String {
        switch self {
        case .smtp(let configuration): configuration.url.description
        case .developmentMailbox: "development mailbox (in the database, shown at /_correo)"
        }
    }
}
