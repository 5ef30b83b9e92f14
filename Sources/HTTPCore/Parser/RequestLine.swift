/// The request line grammar (RFC 9112 §3): `method SP request-target SP HTTP-version`.
enum RequestLine {
    /// Parses a request line without its CRLF.
    ///
    /// Exactly one SP separates the parts; RFC 9112 §3 lets a server accept other whitespace,
    /// we do not (strict, so we never split a line differently from an intermediary).
    static func parse(
        _ line: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) -> (HTTPMethod, RequestTarget, HTTPVersion) {
        var index = 0
        while index < line.count, HTTPSyntax.isTokenByte(line[index]) { index += 1 }
        guard index > 0, index < line.count, line[index] == HTTPSyntax.space else {
            throw .badRequest("malformed method")
        }
        let method = self.method(UnsafeBufferPointer(rebasing: line[0..<index]))
        index += 1
        let targetStart = index
        while index < line.count, HTTPSyntax.isTargetByte(line[index]) { index += 1 }
        guard index > targetStart, index < line.count, line[index] == HTTPSyntax.space else {
            throw .badRequest("malformed request target")
        }
        let target = UnsafeBufferPointer(rebasing: line[targetStart..<index])
        let version = try self.version(UnsafeBufferPointer(rebasing: line[(index + 1)...]))
        return (method, try RequestTarget.parse(target, method: method), version)
    }

    /// The method, reusing the common ones' strings.
    static func method(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod {
        switch bytes.count {
        case 3 where bytes[0] == 0x47 && bytes[1] == 0x45 && bytes[2] == 0x54: .get
        case 4 where bytes[0] == 0x50 && bytes[1] == 0x4F && bytes[2] == 0x53 && bytes[3] == 0x54: .post
        case 4 where bytes[0] == 0x48 && bytes[1] == 0x45 && bytes[2] == 0x41 && bytes[3] == 0x44: .head
        default: HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }

    /// `HTTP-version = "HTTP" "/" DIGIT "." DIGIT` (RFC 9112 §2.3), case-sensitive.
    ///
    /// 1.0 and 1.1 are served, and so is a higher 1.x: RFC 9110 §2.5 says a recipient treats a
    /// higher minor version as the highest minor it supports, so `HTTP/1.2` is read, framed
    /// and kept alive as `HTTP/1.1` (and answered `HTTP/1.1`, as every response is). Another
    /// major version (`HTTP/0.9`, `HTTP/2.0`) is a 505; anything not in the grammar a 400.
    static func version(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
              bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F,
              bytes[6] == 0x2E,
              (0x30...0x39).contains(bytes[5]), (0x30...0x39).contains(bytes[7])
        else { throw .badRequest("malformed HTTP version") }
        let major = Int(bytes[5] - 0x30)
        let minor = Int(bytes[7] - 0x30)
        guard major == 1 else { throw .versionNotSupported }
        return minor == 0 ? .http1_0 : .http1_1
    }
}
