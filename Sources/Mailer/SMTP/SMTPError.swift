/// Why an SMTP exchange failed, and whether trying again later can help.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DNS, TCP connect or a socket error.
    case connectionFailed(String)
    /// The server closed the connection.
    case connectionClosed
    /// No reply within the read timeout.
    case timeout
    /// The server sent bytes that are not an SMTP reply.
    case protocolViolation(String)
    /// A reply other than the one the step needs (`command` is what we sent, never secrets).
    case unexpectedReply(command: String, reply: SMTPReply)
    /// TLS is required by the URL but the server does not offer STARTTLS.
    case startTLSUnavailable
    /// The TLS layer failed (certificate, handshake, I/O).
    case tls(String)
    /// Credentials are configured but the server offers neither PLAIN nor LOGIN.
    case authenticationUnavailable
    /// The message is larger than the server's SIZE (RFC 1870).
    case messageTooLarge(size: Int, limit: Int)
    /// The configuration forbids the step (AUTH without TLS).
    case refused(String)

    /// Whether the message may succeed later: replies 4xx and connection trouble are
    /// temporary, replies 5xx and oversize messages permanent (RFC 5321 §4.2.1).
    public var isPermanent: Bool {
        switch self {
        case .unexpectedReply(_, let reply): reply.isPermanentFailure
        case .messageTooLarge: true
        default: false
        }
    }

    /// Whether the server answered but will not let us in as configured: AUTH refused, TLS
    /// failed or missing, no usable AUTH mechanism. Trying again soon cannot help (and a relay
    /// counting failed logins would lock the account); the operator must fix the settings.
    public var isConfigurationFault: Bool {
        switch self {
        case .unexpectedReply(let command, _): command.uppercased().hasPrefix("AUTH")
        case .startTLSUnavailable, .tls, .authenticationUnavailable, .refused: true
        default: false
        }
    }

    /// One line for logs and the outbox's last error; never holds a credential.
    public var description: String {
        switch self {
        case .connectionFailed(let detail): "connection failed: \(detail)"
        case .connectionClosed: "connection closed by server"
        case .timeout: "timed out waiting for the server"
        case .protocolViolation(let detail): "protocol violation: \(detail)"
        case .unexpectedReply(let command, let reply): "\(command): \(reply.summary)"
        case .startTLSUnavailable: "server does not offer STARTTLS"
        case .tls(let detail): detail
        case .authenticationUnavailable: "server offers no AUTH PLAIN or LOGIN"
        case .messageTooLarge(let size, let limit): "message of \(size) octets exceeds server SIZE \(limit)"
        case .refused(let detail): detail
        }
    }
}
