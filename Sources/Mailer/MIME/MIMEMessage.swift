import ClaveCrypto
import Foundation

/// The wire form of an `OutgoingMail`: RFC 5322 headers and a `multipart/alternative` body
/// (RFC 2046 §5.1.4) with a text and an HTML part, UTF-8, quoted-printable, CRLF line ends.
///
/// Rendering takes the date, Message-ID and boundary as inputs so that tests compare exact
/// bytes; `make(_:configuration:)` draws them from the clock and the CSPRNG.
public struct MIMEMessage: Sendable, Equatable {
    /// Header fields in order, each value already encoded and folded.
    public var headers: [(name: String, value: String)]
    /// Everything after the blank line, CRLF line ends.
    public var body: String

    /// Same headers in the same order and the same body.
    public static func == (lhs: MIMEMessage, rhs: MIMEMessage) -> Bool {
        lhs.body == rhs.body && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// RFC 5322 §2.1.1: a line is at most 998 octets before its CRLF.
    public static let maximumLineLength = 998

    /// Builds the message for `mail` with fresh Message-ID and boundary, dated `date` (the
    /// composer's clock: `MessageComposer.compose`).
    public static func make(_ mail: OutgoingMail, messageIDDomain: String, date: Date) throws -> MIMEMessage {
        let messageID = "<" + (try SecureRandom.token(bytes: 18)) + "@" + messageIDDomain + ">"
        let boundary = "=_clave_" + (try SecureRandom.token(bytes: 18))
        return render(mail, date: date, messageID: messageID, boundary: boundary)
    }

    /// Builds the message from explicit date, Message-ID and boundary. The boundary starts
    /// with "=_", which quoted-printable text can never contain (RFC 2045 §6.7 encodes every
    /// "="), so it cannot collide with a body line.
    public static func render(_ mail: OutgoingMail, date: Date, messageID: String, boundary: String) -> MIMEMessage {
        let headers: [(name: String, value: String)] = [
            ("From", mail.from.headerValue),
            ("To", mail.to.headerValue),
            ("Subject", EncodedWord.unstructured(mail.subject)),
            ("Date", MailDate.format(date)),
            ("Message-ID", messageID),
            ("MIME-Version", "1.0"),
            // RFC 3834 §5: machine-made mail, so auto-responders stay quiet.
            ("Auto-Submitted", "auto-generated"),
            ("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""),
        ]
        var body = "This is a multi-part message in MIME format.\r\n"
        for (subtype, text) in [("plain", mail.textBody), ("html", mail.htmlBody)] {
            body += "--\(boundary)\r\n"
            body += "Content-Type: text/\(subtype); charset=UTF-8\r\n"
            body += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            body += QuotedPrintable.encode(text) + "\r\n"
        }
        body += "--\(boundary)--\r\n"
        return MIMEMessage(headers: headers, body: body)
    }

    /// The header block, each field `Name: value` + CRLF.
    public var headerBlock: String {
        headers.map { "\($0.name): \($0.value)\r\n" }.joined()
    }

    /// The whole message as sent: headers, blank line, body.
    public var bytes: [UInt8] { Array((headerBlock + "\r\n" + body).utf8) }

    /// A copy with `field` put first (where RFC 6376 §5.6 wants DKIM-Signature).
    public func prepending(name: String, value: String) -> MIMEMessage {
        var copy = self
        copy.headers.insert((name, value), at: 0)
        return copy
    }
}

/// RFC 5322 §3.3 dates: `Sun, 22 Nov 2026 04:30:00 +0000`, in UTC, in English whatever the locale.
public enum MailDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` in RFC 5322 §3.3 form, UTC.
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let time = String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
        return days[Int(parts.tm_wday)] + ", " + String(format: "%02d", parts.tm_mday) + " "
            + months[Int(parts.tm_mon)] + " " + String(parts.tm_year + 1900) + " " + time + " +0000"
    }
}
