/// Percent-encoding (RFC 3986 §2.1) for building URLs and reading request paths.
public enum PercentEncoding {
    /// `text` with every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`, RFC 3986
    /// §2.3) written as `%XX`, upper-case hex. Safe in a path segment, a query name or value,
    /// and a fragment: use it for tokens and user input placed in links.
    ///
    /// ```swift
    /// PercentEncoding.encode("a b/é")   // "a%20b%2F%C3%A9"
    /// ```
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The decoded form of a request path (the target before `?`), or nil when it should
    /// not be served.
    ///
    /// Nil for: a malformed `%` escape; bytes that are not UTF-8 once decoded; `%00`
    /// (a NUL cuts strings short in C file APIs); an encoded `/` or `\` (`%2F`, `%5C`), which
    /// would let one segment pose as two; and a `.` or `..` segment, raw or encoded
    /// (`%2E%2E`), which browsers never send since they resolve dot segments first
    /// (RFC 3986 §5.2.4) and which would climb out of a static files folder. `+` stays `+`:
    /// it means a space only in forms.
    ///
    /// ```swift
    /// PercentEncoding.decodePath("/static/caf%C3%A9.css")  // "/static/café.css"
    /// PercentEncoding.decodePath("/static/%2E%2E/secret")  // nil
    /// ```
    public static func decodePath(_ path: Substring) -> String? {
        // Without a `%` the path decodes to itself: the same checks on its bytes, no copies.
        if !path.utf8.contains(UInt8(ascii: "%")) { return isServablePlainPath(path.utf8) ? String(path) : nil }
        var decodedSegments: [String] = []
        for segment in path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false) {
            guard let bytes = decodeBytes(ArraySlice(segment), plusIsSpace: false) else { return nil }
            if bytes.contains(where: { $0 == 0x00 || $0 == 0x2F || $0 == 0x5C }) { return nil }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { return nil }
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            decodedSegments.append(text)
        }
        return decodedSegments.joined(separator: "/")
    }

    /// The rules of ``decodePath(_:)`` for a path without `%`: no NUL, no `\`, and no `.` or
    /// `..` segment.
    static func isServablePlainPath(_ bytes: Substring.UTF8View) -> Bool {
        var segmentLength = 0
        var segmentDots = 0
        for byte in bytes {
            switch byte {
            case 0x00, 0x5C:
                return false
            case 0x2F:
                if segmentLength > 0, segmentLength == segmentDots, segmentLength <= 2 { return false }
                segmentLength = 0
                segmentDots = 0
            default:
                segmentLength += 1
                if byte == 0x2E { segmentDots += 1 }
            }
        }
        return !(segmentLength > 0 && segmentLength == segmentDots && segmentLength <= 2)
    }

    /// Percent-decodes `bytes`, or nil when a `%` is not followed by two hex digits.
    static func decodeBytes(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x25 {
                guard index + 2 < bytes.endIndex,
                      let high = HTTPSyntax.hexValue(bytes[index + 1]),
                      let low = HTTPSyntax.hexValue(bytes[index + 2])
                else { return nil }
                out.append(UInt8(high << 4 | low))
                index += 3
            } else {
                out.append(plusIsSpace && byte == 0x2B ? 0x20 : byte)
                index += 1
            }
        }
        return out
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
