/// Quoted-printable content transfer encoding (RFC 2045 §6.7) for UTF-8 text bodies.
///
/// Chosen over base64 because the Spanish text stays readable in the raw source (staff look
/// at it in the development mailbox) and because it keeps every line under 76 characters,
/// far below SMTP's 998-octet limit (RFC 5322 §2.1.1), whatever the template holds.
public enum QuotedPrintable {
    /// RFC 2045 §6.7 rule 5: encoded lines are at most 76 characters, soft break included.
    public static let maximumLineLength = 76

    /// Encodes `text`; its line breaks (LF or CRLF) become CRLF hard breaks.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = normalizedLines(text)
        for (index, line) in lines.enumerated() {
            encodeLine(line, into: &out)
            if index < lines.count - 1 { out += [0x0D, 0x0A] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lines of `text`, split on LF with a CR before it dropped.
    static func normalizedLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if byte == 0x0A {
                if current.last == 0x0D { current.removeLast() }
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        lines.append(current)
        return lines
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func encodeLine(_ line: [UInt8], into out: inout [UInt8]) {
        var column = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            // Rule 2: printable ASCII except "=" stands for itself; rule 3: a space or tab at
            // the end of a line must be encoded, since transports may strip it. A leading "."
            // is encoded too, so no relay's dot handling can touch the body.
            let literal = (byte >= 0x21 && byte <= 0x7E && byte != 0x3D && !(byte == 0x2E && column == 0))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece: [UInt8] = literal ? [byte] : [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            // Leave room for the soft break "=" (rule 5), and for a final encoded space.
            if column + piece.count > maximumLineLength - 1 {
                out += [0x3D, 0x0D, 0x0A]
                column = 0
                if byte == 0x2E {
                    out += [0x3D, 0x32, 0x45]
                    column = 3
                    continue
                }
            }
            out += piece
            column += piece.count
        }
    }
}
