import ClaveTime
import Foundation

/// How outgoing mail is composed: the domain in Message-IDs, the EHLO name, and DKIM when
/// configured (RFC 6376 signing is on exactly when `dkim` is set).
public struct MailConfiguration: Sendable {
    /// The right-hand side of every Message-ID (`<random@domain>`); nil uses each message's
    /// From domain, which is what receivers expect.
    public var messageIDDomain: String?
    /// The name given in EHLO. Default `localhost`; set it to the host's public name.
    public var ehloName: String
    /// DKIM signing, or nil to send unsigned.
    public var dkim: DKIMConfiguration?

    /// Unsigned mail with per-sender Message-ID domains unless told otherwise.
    public init(messageIDDomain: String? = nil, ehloName: String = "localhost", dkim: DKIMConfiguration? = nil) {
        self.messageIDDomain = messageIDDomain
        self.ehloName = ehloName
        self.dkim = dkim
    }
}

/// Turns an `OutgoingMail` into the bytes sent: MIME, then DKIM when configured.
public struct MessageComposer: Sendable {
    /// Message-ID domain, EHLO name and DKIM.
    public let configuration: MailConfiguration
    /// Dates each message (its `Date` header and DKIM `t=`).
    public let clock: any ClaveClock

    /// A composer for `configuration`, dating messages by `clock`.
    public init(configuration: MailConfiguration, clock: any ClaveClock = SystemClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    /// The signed (when configured) message for `mail`, dated now by the composer's clock.
    public func compose(_ mail: OutgoingMail) throws -> MIMEMessage {
        try compose(mail, date: clock.now())
    }

    /// The signed (when configured) message for `mail`, dated `date`.
    public func compose(_ mail: OutgoingMail, date: Date) throws -> MIMEMessage {
        let message = try MIMEMessage.make(mail, messageIDDomain: configuration.messageIDDomain ?? mail.from.domain, date: date)
        guard let dkim = configuration.dkim else { return message }
        return try DKIMSigner(configuration: dkim).sign(message, at: date)
    }
}
