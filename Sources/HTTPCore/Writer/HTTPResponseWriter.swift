/// Serialises a response head (status line and fields) for the connection to write.
///
/// The writer, not the handler, frames the message: it computes `Content-Length`, adds `Date`
/// and `Connection`, and ignores handler-set values of those fields, so a handler can never
/// produce a message whose framing disagrees with its body. Fields whose name is not a token
/// or whose value holds CR, LF, NUL or another control byte are dropped: a value taken from
/// user input can never split the response (RFC 9110 §5.5, RFC 9112 §4).
///
/// The server writes the head and the body with one `writev`.
///
/// ```swift
/// var dates = HTTPDateCache()
/// let head = HTTPResponseWriter.head(for: .text("ok"), keepAlive: true, date: dates.current(at: Date()), isHeadRequest: false)
/// // "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nDate: ...\r\n\r\n"
/// ```
public enum HTTPResponseWriter {
    /// The head of `response`, ending with the empty line.
    ///
    /// - Parameters:
    ///   - keepAlive: false adds `Connection: close`.
    ///   - date: the IMF-fixdate for `Date` (from `HTTPDateCache`).
    ///   - isHeadRequest: for a HEAD request, `Content-Length` is the length a GET would have
    ///     (RFC 9110 §9.3.2): the body's length, or, when the handler left the body empty, the
    ///     handler's own valid `Content-Length`. The server sends no body either way.
    public static func head(for response: HTTPResponse, keepAlive: Bool, date: String, isHeadRequest: Bool) -> [UInt8] {
        head(for: response, keepAlive: keepAlive, date: date, isHeadRequest: isHeadRequest, requestVersion: .http1_1)
    }

    /// As `head(for:keepAlive:date:isHeadRequest:)`, for a request of `requestVersion`: an
    /// HTTP/1.0 client kept alive needs `Connection: keep-alive` (RFC 9112 §9.3), as 1.0
    /// closes by default.
    public static func head(
        for response: HTTPResponse,
        keepAlive: Bool,
        date: String,
        isHeadRequest: Bool,
        requestVersion: HTTPVersion
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        appendStatusLine(response.status, to: &out)
        var handlerLength: String?
        for field in response.headers {
            if isFramingField(field.name) {
                if HTTPHeaders.sameName(field.name, "Content-Length") { handlerLength = field.value }
                continue
            }
            appendFieldIfSafe(field.name, field.value, to: &out)
        }
        // RFC 9110 §8.6: no Content-Length in 1xx and 204 responses; a 304 need not have one.
        if response.status.allowsBody {
            if isHeadRequest, response.body.isEmpty, let handlerLength, isDecimal(handlerLength) {
                appendField("Content-Length", handlerLength, to: &out)
            } else {
                out.append(contentsOf: "Content-Length: ".utf8)
                appendDecimal(response.body.count, to: &out)
                out.append(HTTPSyntax.cr)
                out.append(HTTPSyntax.lf)
            }
        }
        appendFieldIfSafe("Date", date, to: &out)
        if !keepAlive {
            appendField("Connection", "close", to: &out)
        } else if requestVersion == .http1_0 {
            appendField("Connection", "keep-alive", to: &out)
        }
        out.append(HTTPSyntax.cr)
        out.append(HTTPSyntax.lf)
        return out
    }

    /// `HTTP/1.1 100 Continue` and the empty line: the interim answer to
    /// `Expect: 100-continue` (RFC 9110 §15.2.1).
    public static func interim100Continue() -> [UInt8] {
        Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    }

    /// `HTTP/1.1 code reason CRLF` (RFC 9112 §4). The reason phrase loses any byte that is
    /// not allowed there (controls), since handlers may build statuses.
    static func appendStatusLine(_ status: HTTPStatus, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(min(max(status.code, 100), 999), to: &out)
        out.append(HTTPSyntax.space)
        for byte in status.reason.utf8 where HTTPSyntax.isFieldValueByte(byte) {
            out.append(byte)
        }
        out.append(HTTPSyntax.cr)
        out.append(HTTPSyntax.lf)
    }

    static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(HTTPSyntax.colon)
        out.append(HTTPSyntax.space)
        out.append(contentsOf: value.utf8)
        out.append(HTTPSyntax.cr)
        out.append(HTTPSyntax.lf)
    }

    /// Appends the field when its name is a token and its value is safe (see ``isSafeName(_:)``
    /// and ``isSafeValue(_:)``), checking each byte once: this runs for every field of every
    /// response, and a page's `Content-Security-Policy` alone is some 200 bytes.
    static func appendFieldIfSafe(_ name: String, _ value: String, to out: inout [UInt8]) {
        let fast: Bool? = name.utf8.withContiguousStorageIfAvailable { name in
            value.utf8.withContiguousStorageIfAvailable { value in
                guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenByte),
                      HTTPSyntax.areFieldValueBytes(value) else { return false }
                out.append(contentsOf: name)
                out.append(HTTPSyntax.colon)
                out.append(HTTPSyntax.space)
                out.append(contentsOf: value)
                out.append(HTTPSyntax.cr)
                out.append(HTTPSyntax.lf)
                return true
            }
        } ?? nil
        if fast == nil, isSafeName(name), isSafeValue(value) { appendField(name, value, to: &out) }
    }

    /// `value` (not negative) in decimal digits, without making a `String` first.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else {
            out.append(0x30)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var index = buffer.count
            while rest > 0 {
                index -= 1
                buffer[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
            }
            out.append(contentsOf: buffer[index...])
        }
    }

    /// Fields the writer owns: whatever the handler set is replaced.
    static func isFramingField(_ name: String) -> Bool {
        HTTPHeaders.sameName(name, "Content-Length") || HTTPHeaders.sameName(name, "Transfer-Encoding")
            || HTTPHeaders.sameName(name, "Date") || HTTPHeaders.sameName(name, "Connection")
    }

    /// A field name must be a token (RFC 9110 §5.1).
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPSyntax.isTokenByte)
    }

    /// A field value may hold VCHAR, obs-text, SP and HTAB; never CR, LF, NUL (RFC 9110 §5.5).
    static func isSafeValue(_ value: String) -> Bool {
        value.utf8.allSatisfy(HTTPSyntax.isFieldValueByte)
    }

    static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
