/// One SMTP reply (RFC 5321 §4.2): a three-digit code and the text of each line.
///
/// ```text
/// 250-mail.example.co greets you
/// 250-SIZE 35882577
/// 250 STARTTLS
/// ```
/// is `SMTPReply(code: 250, lines: ["mail.example.co greets you", "SIZE 35882577", "STARTTLS"])`.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The reply code, 200...599.
    public let code: Int
    /// The text after the code on each line, without the separator or CRLF.
    public let lines: [String]

    /// A reply with `code` and the text of each line.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// RFC 5321 §4.2.1: 2yz, the command was accepted.
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz: the server waits for more (DATA, AUTH challenges).
    public var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4yz: try again later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5yz: do not try this again.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The code and first line, cut to 200 characters: the form kept as a failure reason.
    public var summary: String {
        let text = lines.first ?? ""
        return "\(code) " + String(text.prefix(200))
    }

    /// The summary.
    public var description: String { summary }
}
