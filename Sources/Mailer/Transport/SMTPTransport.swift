import ClaveCrypto
import ClaveLog
import Foundation

/// Delivers batches over SMTP: one session per batch, reused for every message in it; when the
/// connection breaks the next message opens a new one.
///
/// Session failures (server down, TLS or AUTH refused) make every message still in the batch a
/// temporary failure, whatever the reply code: they are configuration or outage problems that
/// staff fix, and a message must not die because a password was wrong for an hour. Failures
/// of a message's own transaction follow RFC 5321: 4xx temporary, 5xx permanent.
public final class SMTPTransport: MailTransport, @unchecked Sendable {
    // Immutable after init (TLSClientContext is shareable); each `send` makes its own session,
    // so concurrent batches never share a connection.
    /// Server, EHLO name and timeouts for each session.
    public let client: SMTPClientConfiguration
    /// Turns each message into signed MIME bytes.
    public let composer: MessageComposer
    private let tlsContext: TLSClientContext?
    private let log: Logger

    /// Fails only when the TLS context cannot be made (an unreadable `ca=` file).
    public init(client: SMTPClientConfiguration, composer: MessageComposer,
                logger: Logger = Logger(label: "smtp")) throws(SMTPError) {
        self.client = client
        self.composer = composer
        self.log = logger
        if client.url.security != .none {
            do {
                tlsContext = try TLSClientContext(configuration: TLSClientConfiguration(caFile: client.url.caFile))
            } catch {
                throw .tls(error.description)
            }
        } else {
            tlsContext = nil
        }
    }

    /// Sends `messages` over one session, reconnecting after a broken connection, and reports
    /// each outcome as soon as the server has answered that message's DATA.
    public func send(_ messages: [OutgoingMail], shouldSend: (OutgoingMail) -> Bool, report: (DeliveryResult) -> Void) {
        guard !messages.isEmpty else { return }
        let session: SMTPClient
        do {
            session = try SMTPClient(configuration: client, tlsContext: tlsContext, logger: log)
        } catch {
            for mail in messages where shouldSend(mail) {
                report(DeliveryResult(id: mail.id, outcome: .temporary(error.description), serverUnavailable: true,
                                      sessionRefused: error.isConfigurationFault))
            }
            return
        }
        defer { session.quit() }
        var sessionFailure: SMTPError?
        for mail in messages where shouldSend(mail) {
            if let sessionFailure {
                // The server would not open a session: the rest of the batch waits for it.
                report(DeliveryResult(id: mail.id, outcome: .temporary(sessionFailure.description), serverUnavailable: true,
                                      sessionRefused: sessionFailure.isConfigurationFault))
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try composer.compose(mail).bytes
            } catch {
                report(DeliveryResult(id: mail.id, outcome: .permanent("cannot compose: \(error)")))
                continue
            }
            if !session.isOpen {
                do {
                    try session.open()
                } catch {
                    log.warning("smtp session failed", ["host": client.url.host, "error": error.description])
                    sessionFailure = error
                    report(DeliveryResult(id: mail.id, outcome: .temporary(error.description), serverUnavailable: true,
                                          sessionRefused: error.isConfigurationFault))
                    continue
                }
            }
            do {
                try session.send(from: mail.from.address, to: mail.to.address, message: bytes)
                report(DeliveryResult(id: mail.id, outcome: .delivered))
            } catch {
                log.warning("smtp delivery failed", ["to_domain": mail.to.domain,
                                                     "error": LogRedaction.addresses(in: error.description)])
                report(DeliveryResult(id: mail.id, outcome: error.isPermanent
                    ? .permanent(error.description) : .temporary(error.description)))
            }
        }
    }
}
