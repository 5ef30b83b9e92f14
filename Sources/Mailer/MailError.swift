/// Errors raised while building a message, before anything is sent.
///
/// A message that would carry a forged header (CR or LF in an address or header value) is
/// refused here, so that nothing a user typed can add a `Bcc:` or a second message.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An address that is not `local@domain` in printable ASCII, or that holds CR, LF or `<>`.
    case invalidAddress(String)
    /// A header value (subject, display name) holding CR, LF or NUL.
    case headerInjection(field: String)
    /// A configuration value that cannot be used (DKIM key, domain, EHLO name).
    case invalidConfiguration(String)

    /// One line saying what was refused.
    public var description: String {
        switch self {
        case .invalidAddress(let reason): "invalid address: \(reason)"
        case .headerInjection(let field): "header \(field) holds a line break or NUL"
        case .invalidConfiguration(let reason): "invalid mail configuration: \(reason)"
        }
    }
}
