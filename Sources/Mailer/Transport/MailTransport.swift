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
    /// The attempt never reached this message: the server could not be reached or would not
    /// open a session (connect, greeting, TLS, AUTH). The outbox brings such messages forward
    /// as soon as a delivery succeeds again, instead of letting them wait out their back-off.
    public var serverUnavailable: Bool
    /// The server answered but refused the session as configured (AUTH 535, TLS): the outbox
    /// stops opening sessions for a while instead of trying again with every message
    /// (`ServerTrouble`).
    public var sessionRefused: Bool

    /// A result for message `id`.
    public init(id: Int64, outcome: DeliveryOutcome, serverUnavailable: Bool = false, sessionRefused: Bool = false) {
        self.id = id
        self.outcome = outcome
        self.serverUnavailable = serverUnavailable || sessionRefused
        self.sessionRefused = sessionRefused
    }
}

/// Somewhere mail goes: an SMTP server or the development mailbox.
///
/// A batch is sent together so that SMTP can reuse one connection for all of it, but each
/// message's outcome is reported as soon as it is known (the server answered its DATA), before
/// the next message starts: the outbox records it at once, so a crash mid-batch re-sends at
/// most the message in flight. A transport never throws, because a failure is a fact about
/// each message that the outbox must record.
public protocol MailTransport: Sendable {
    /// Sends `messages` in order. Before each one it asks `shouldSend` (false: skip it and
    /// report nothing, the row is no longer ours); after each one sent or refused it calls
    /// `report` with the outcome, on the caller's thread, before going on.
    func send(_ messages: [OutgoingMail], shouldSend: (OutgoingMail) -> Bool, report: (DeliveryResult) -> Void)
}

extension MailTransport {
    /// Sends every message and returns the outcomes, one per message, in order (`clave mail test`).
    public func send(_ messages: [OutgoingMail]) -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        send(messages, shouldSend: { _ in true }, report: { results.append($0) })
        return results
    }
}
