/// What became of one message handed to a transport.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The server (or the development mailbox) took responsibility for it.
    case delivered
    /// Worth trying again later: 4xx replies, a server that is down, a broken connection.
    case temporary(String)
    /// Never going to work: 5xx replies, a message the server will not take.
    case permanent(String)
}

/// The outcome for the message whose `OutgoingMail.id` is `id`.
public struct DeliveryResult: Sendable, Equatable {
    /// The `OutgoingMail.id` (outbox row) this result is for.
    public var id: Int64
    /// Delivered, or why not and whether to retry.
    public var outcome: DeliveryOutcome

    /// A result for message `id`.
    public init(id: Int64, outcome: DeliveryOutcome) {
        self.id = id
        self.outcome = outcome
    }
}

/// Somewhere mail goes: an SMTP server or the development mailbox.
///
/// A batch is sent together so that SMTP can reuse one connection for all of it. Results come
/// back one per message, in order; a transport never throws, because a failure is a fact about
/// each message that the outbox must record.
public protocol MailTransport: Sendable {
    func send(_ messages: [OutgoingMail]) -> [DeliveryResult]
}
