import ClaveLog
import ClaveTime
import Foundation
import UserStore

/// The development transport: instead of sending, stores each message in the SQLite mailbox
/// (`tx.mailbox`, one write per message) with its raw MIME source, where `/_correo` shows it. Staff can see
/// every email locally without a mail server.
public struct DevelopmentMailbox: MailTransport {
    /// The database whose mailbox table `/_correo` shows.
    public let database: Database
    /// Builds the raw source stored beside the bodies.
    public let composer: MessageComposer
    private let clock: any ClaveClock
    private let log: Logger

    /// A mailbox transport writing into `database`'s mailbox; `clock` dates each stored message
    /// (the composer's clock dates its MIME headers).
    public init(database: Database, composer: MessageComposer, clock: any ClaveClock = SystemClock(),
                logger: Logger = Logger(label: "mailbox")) {
        self.database = database
        self.composer = composer
        self.clock = clock
        self.log = logger
    }

    /// Stores each message, reporting each as it is stored; a database error is temporary, a
    /// bad message permanent.
    public func send(_ messages: [OutgoingMail], shouldSend: (OutgoingMail) -> Bool, report: (DeliveryResult) -> Void) {
        for mail in messages where shouldSend(mail) {
            report(DeliveryResult(id: mail.id, outcome: store(mail)))
        }
    }

    private func store(_ mail: OutgoingMail) -> DeliveryOutcome {
        do {
            let source = String(decoding: try composer.compose(mail).bytes, as: UTF8.self)
            let at = clock.now()
            try database.write { tx in
                try tx.mailbox.deliver(sender: mail.from.displayValue, recipient: mail.to.address, subject: mail.subject,
                                       textBody: mail.textBody, htmlBody: mail.htmlBody, rawSource: source, at: at)
            }
            log.info("mail stored in development mailbox", ["to_domain": mail.to.domain])
            return .delivered
        } catch let error as MailError {
            return .permanent(error.description)
        } catch {
            // A locked or full database is worth another try.
            return .temporary("mailbox: \(error)")
        }
    }
}
