/// One header or trailer field line (RFC 9112 §5): `field-name ":" OWS field-value OWS`.
struct FieldLine: Sendable {
    /// Fields whose value changes how the parser frames the message.
    enum Kind: Sendable, Equatable {
        case host
        case contentLength(Int)
        /// The codings listed, lower-cased, empty elements dropped.
        case transferEncoding([String])
        /// Whether the expectation is `100-continue`.
        case expect(isContinue: Bool)
        case other
    }

    var name: String
    var value: String
    var kind: Kind

    /// Parses a field line without its CRLF.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> FieldLine {
        // RFC 9112 §5.2: obs-fold is deprecated; a server MUST either reject it or replace it
        // with SP. We reject.
        if HTTPSyntax.isWhitespace(line[0]) { throw .badRequest("obsolete line folding") }
        var index = 0
        while index < line.count, HTTPSyntax.isTokenByte(line[index]) { index += 1 }
        // RFC 9112 §5.1: no whitespace is allowed between the name and the colon; a server
        // MUST reject such a message with 400.
        guard index > 0, index < line.count, line[index] == HTTPSyntax.colon else {
            throw .badRequest("malformed field name")
        }
        let nameBytes = UnsafeBufferPointer(rebasing: line[0..<index])
        let valueBytes = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: line[(index + 1)...]))
        for byte in valueBytes where !HTTPSyntax.isFieldValueByte(byte) {
            throw .badRequest("invalid byte in field value")
        }
        let kind = try self.kind(name: nameBytes, value: valueBytes)
        return FieldLine(name: String(decoding: nameBytes, as: UTF8.self), value: HTTPSyntax.text(valueBytes), kind: kind)
    }

    /// Recognises the framing fields by their bytes, before any string is made.
    static func kind(
        name: UnsafeBufferPointer<UInt8>,
        value: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) -> Kind {
        switch name.count {
        case 4 where HTTPSyntax.equalsIgnoringCase(name, "host"):
            // RFC 9112 §3.2: a Host with an invalid value is answered 400 too.
            guard isValidHost(value) else { throw .badRequest("invalid Host") }
            return .host
        case 6 where HTTPSyntax.equalsIgnoringCase(name, "expect"):
            return .expect(isContinue: HTTPSyntax.equalsIgnoringCase(value, "100-continue"))
        case 14 where HTTPSyntax.equalsIgnoringCase(name, "content-length"):
            return .contentLength(try contentLength(value))
        case 17 where HTTPSyntax.equalsIgnoringCase(name, "transfer-encoding"):
            return .transferEncoding(codings(value))
        default:
            return .other
        }
    }

    /// `Content-Length = 1*DIGIT` (RFC 9110 §8.6), or a list of identical values, which
    /// RFC 9112 §6.3 ¶5 lets a recipient accept as one. A value too big for `Int` is answered
    /// 413, since it is over any body limit.
    static func contentLength(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var result: Int?
        var index = 0
        while true {
            while index < value.count, HTTPSyntax.isWhitespace(value[index]) { index += 1 }
            var number = 0
            var digits = 0
            var overflow = false
            while index < value.count, (0x30...0x39).contains(value[index]) {
                let (times10, o1) = number.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(value[index] - 0x30))
                overflow = overflow || o1 || o2
                number = sum
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw .badRequest("malformed Content-Length") }
            if overflow { throw .contentTooLarge }
            if let result, result != number { throw .badRequest("conflicting Content-Length") }
            result = number
            while index < value.count, HTTPSyntax.isWhitespace(value[index]) { index += 1 }
            if index == value.count { return number }
            guard value[index] == HTTPSyntax.comma else { throw .badRequest("malformed Content-Length") }
            index += 1
        }
    }

    /// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP literal in
    /// brackets or a reg-name (unreserved, sub-delims, `%`), then optional digits after `:`.
    /// An empty value is allowed (RFC 9112 §3.2, a target without authority).
    static func isValidHost(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if index < value.count, value[index] == 0x5B {
            index += 1
            while index < value.count, HTTPSyntax.hexValue(value[index]) != nil || value[index] == 0x3A || value[index] == 0x2E {
                index += 1
            }
            guard index < value.count, value[index] == 0x5D else { return false }
            index += 1
        } else {
            while index < value.count, isRegNameByte(value[index]) { index += 1 }
        }
        if index == value.count { return true }
        guard value[index] == HTTPSyntax.colon else { return false }
        index += 1
        while index < value.count, (0x30...0x39).contains(value[index]) { index += 1 }
        return index == value.count
    }

    /// unreserved, sub-delims and `%` (RFC 3986 §3.2.2 `reg-name`).
    static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: true
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D, 0x25: true
        default: false
        }
    }

    /// The transfer codings of a `Transfer-Encoding` value (RFC 9112 §6.1), lower-cased.
    /// Parameters are kept with the name, so `chunked;x=1` is not mistaken for `chunked`.
    static func codings(_ value: UnsafeBufferPointer<UInt8>) -> [String] {
        var codings: [String] = []
        for element in value.split(separator: HTTPSyntax.comma, omittingEmptySubsequences: false) {
            let trimmed = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: element))
            if trimmed.isEmpty { continue }
            codings.append(String(decoding: trimmed, as: UTF8.self).lowercased())
        }
        return codings
    }
}
