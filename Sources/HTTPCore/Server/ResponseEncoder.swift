/// Serialises a response head (RFC 9112 §4-6) for one `writev` together with the body.
///
/// The server frames every message itself: it writes `Content-Length` (never chunked, since a
/// handler's body is complete), `Date`, and `Connection: close` when the connection ends, and
/// drops any framing fields a handler set, so a handler cannot desynchronise the connection.
enum ResponseEncoder {
    /// Header fields the server owns.
    private static let framingFields: Set<String> = ["content-length", "transfer-encoding", "connection", "date"]

    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let dateName = Array("\r\nDate: ".utf8)
    private static let lengthName = Array("\r\nContent-Length: ".utf8)
    private static let closeField = Array("\r\nConnection: close".utf8)

    /// The head bytes, or nil when a handler's header field is not valid on the wire (a name
    /// that is not a token, a value holding CR, LF or NUL): sending it could split the response.
    static func head(
        for response: HTTPResponse,
        keepAlive: Bool,
        date: [UInt8],
        bodyLength: Int
    ) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(160 + response.headers.count * 40)
        out.append(contentsOf: statusLine(response.status))
        out.append(contentsOf: dateName)
        out.append(contentsOf: date)
        if response.status.allowsBody {
            out.append(contentsOf: lengthName)
            appendDecimal(bodyLength, to: &out)
        }
        if !keepAlive { out.append(contentsOf: closeField) }
        for (name, value) in response.headers {
            guard isToken(name), isFieldValue(value) else { return nil }
            if isFraming(name) { continue }
            out.append(contentsOf: crlf)
            out.append(contentsOf: name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: value.utf8)
        }
        out.append(contentsOf: crlf)
        out.append(contentsOf: crlf)
        return out
    }

    /// `HTTP/1.1 100 Continue` (RFC 9110 §10.1.1), sent before reading an expected body.
    static let continueHead: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static let commonStatusLines: [Int: [UInt8]] = {
        var lines: [Int: [UInt8]] = [:]
        for code in [200, 204, 301, 302, 303, 304, 400, 404, 405, 408, 413, 414, 431, 500, 501, 503, 505] {
            let status = HTTPStatus(code: code)
            lines[code] = Array("HTTP/1.1 \(status.code) \(status.reason)".utf8)
        }
        return lines
    }()

    private static func statusLine(_ status: HTTPStatus) -> [UInt8] {
        if let line = commonStatusLines[status.code], HTTPStatus.standardReasons[status.code] == status.reason {
            return line
        }
        let reason = status.reason.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) } ? status.reason : ""
        let code = (100...999).contains(status.code) ? status.code : 500
        return Array("HTTP/1.1 \(code) \(reason)".utf8)
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value == 0 { out.append(0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    private static func isFraming(_ name: String) -> Bool {
        let count = name.utf8.count
        guard count == 4 || count == 10 || count == 14 || count == 17 else { return false }
        return framingFields.contains(name.lowercased())
    }

    /// RFC 9110 §5.6.2 token characters.
    static func isToken(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        for byte in name.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: continue
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// RFC 9110 §5.5: no CR, LF or NUL in a field value (obs-text is let through).
    static func isFieldValue(_ value: String) -> Bool {
        for byte in value.utf8 where byte == 0x0D || byte == 0x0A || byte == 0x00 {
            return false
        }
        return true
    }
}
