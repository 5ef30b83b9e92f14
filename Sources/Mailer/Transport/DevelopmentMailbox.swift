import ClaveLog
import Foundation
import UserStore

/// The development transport: instead of sending, stores each message in the SQLite mailbox
/// (`MailboxRepository`) with its raw MIME source, where `/_correo` shows it. Staff can see
/// every email locally without a mail server.
public struct DevelopmentMailbox: MailTransport {
    /// The SQLite mailbox that `/_correo` shows.
    public let mailbox: MailboxRepository
    /// Builds the raw source stored beside the bodies.
    public let composer: MessageComposer
    private let log: Logger

    /// A mailbox transport writing into `mailbox`.
    public init(mailbox: MailboxRepository, composer: MessageComposer, logger: Logger = Logger(label: "mailbox")) {
        self.mailbox = mailbox
        self.composer = composer
        self.log = logger
    }

    /// Stores each message; a database error is temporary, a bad message permanent.
    public func send(_ messages: [OutgoingMail]) -> [DeliveryResult] {
        messages.map { mail in
            do {
                let source = String(decoding: try composer.compose(mail).bytes, as: UTF8.self)
                _ = try mailbox.deliver(sender: mail.from.displayValue, recipient: mail.to.address, subject: mail.subject,
                                        textBody: mail.textBody, htmlBody: mail.htmlBody, rawSource: source, at: Date())
                log.info("mail stored in development mailbox", ["to_domain": mail.to.domain])
                return DeliveryResult(id: mail.id, outcome: .delivered)
            } catch let error as MailError {
                return DeliveryResult(id: mail.id, outcome: .permanent(error.description))
            } catch {
                // A locked or full database is worth another try.
                return DeliveryResult(id: mail.id, outcome: .temporary("mailbox: \(error)"))
            }
        }
    }
}
