import Foundation

/// Everything an `SMTPClient` needs: the server (from `--smtp-url`), our EHLO name and the
/// timeouts. Defaults are short enough that a dead server does not hold the outbox worker for
/// minutes, long enough for a slow relay.
public struct SMTPClientConfiguration: Sendable, Equatable {
    /// Server, security and credentials, from `--smtp-url`.
    public var url: SMTPURL
    /// The name we give in EHLO (RFC 5321 §4.1.1.1: our fully qualified domain name).
    public var ehloName: String
    /// Time to open the TCP connection. Default 10 s.
    public var connectTimeout: TimeInterval
    /// Time to wait for each reply or for a write to progress. Default 60 s; RFC 5321
    /// §4.5.3.2 lets servers take up to 10 minutes after the final dot, which a request-path
    /// service cannot wait for, and a timeout here only means "try again later".
    public var ioTimeout: TimeInterval
    /// Bounds on reply size.
    public var replyLimits: SMTPReplyLimits

    /// The defaults documented on each field.
    public init(url: SMTPURL, ehloName: String = "localhost", connectTimeout: TimeInterval = 10,
                ioTimeout: TimeInterval = 60, replyLimits: SMTPReplyLimits = SMTPReplyLimits()) {
        self.url = url
        self.ehloName = ehloName
        self.connectTimeout = connectTimeout
        self.ioTimeout = ioTimeout
        self.replyLimits = replyLimits
    }
}
