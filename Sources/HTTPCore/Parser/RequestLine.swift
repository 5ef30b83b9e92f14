/// The request line grammar (RFC 9112 §3): `method SP request-target SP HTTP-version`.
enum RequestLine {
    /// Parses a request line without its CRLF.
    ///
    /// Exactly one SP separates the parts; RFC 9112 §3 lets a server accept other whitespace,
    /// we do not (strict, so we never split a line differently from an intermediary).
    static func parse(
        _ line: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) -> (HTTPMethod, String, HTTPVersion) {
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
        try checkForm(target, method: method)
        return (method, String(decoding: target, as: UTF8.self), version)
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
    /// 1.0 and 1.1 are served; another well-formed version is a 505, anything else a 400.
    static func version(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
              bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F,
              bytes[6] == 0x2E,
              (0x30...0x39).contains(bytes[5]), (0x30...0x39).contains(bytes[7])
        else { throw .badRequest("malformed HTTP version") }
        let major = Int(bytes[5] - 0x30)
        let minor = Int(bytes[7] - 0x30)
        guard major == 1, minor <= 1 else { throw .versionNotSupported }
        return minor == 1 ? .http1_1 : .http1_0
    }

    /// RFC 9112 §3.2: origin-form (`/path?query`) is what a server gets; asterisk-form only
    /// with OPTIONS (§3.2.4). Absolute-form is for proxies and authority-form for CONNECT;
    /// we are neither, so both are 400.
    static func checkForm(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParseError) {
        if target[0] == 0x2F { return }
        if target.count == 1, target[0] == 0x2A, method == .options { return }
        throw .badRequest("unsupported request-target form")
    }
}
