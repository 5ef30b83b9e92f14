/// Byte classes and small byte-level helpers shared by the HTTP parsers.
///
/// Everything works on `UInt8` so the hot path never builds a `String` per byte; strings are
/// made once, for the final values.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let comma: UInt8 = 0x2C

    /// `tchar` (RFC 9110 §5.6.2): the bytes of a token such as a method or a field name.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// A byte allowed in a field value (RFC 9110 §5.5): VCHAR, obs-text (0x80-0xFF), SP and
    /// HTAB. NUL, CR, LF, DEL and the other controls are not.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Whether every byte is a field-value byte (``isFieldValueByte(_:)``), eight at a time: a
    /// word with no byte below 0x20 and none equal to 0x7F passes whole, and one that has any
    /// (HTAB included, which is allowed) is checked byte by byte. The response writer checks
    /// every field of every response, a page's `Content-Security-Policy` alone some 200 bytes.
    static func areFieldValueBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // The classic "has a byte less than n" test (n = 0x20), and "has a zero byte" of
            // the word XOR 0x7F…; bytes from 0x80 up never trip either.
            let control = (word &- ones &* 0x20) & ~word & highBits
            let delete = word ^ (ones &* 0x7F)
            let deleteFound = (delete &- ones) & ~delete & highBits
            if control | deleteFound != 0 {
                for offset in index..<(index + 8) where !isFieldValueByte(base[offset]) { return false }
            }
            index += 8
        }
        while index < bytes.count {
            guard isFieldValueByte(base[index]) else { return false }
            index += 1
        }
        return true
    }

    /// A byte allowed in a request-target: visible ASCII only. Whitespace and controls would
    /// let a target smuggle framing; raw non-ASCII must be percent-encoded (RFC 3986 §2.1).
    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// `OWS` (RFC 9110 §5.6.3).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// `bytes` without leading and trailing OWS.
    static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Whether `bytes` equal `lowercase` ignoring ASCII case. `lowercase` must hold no
    /// upper-case letters (field names we look for, `http://`); other bytes compare exactly.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            if folded != expected[index] { return false }
        }
        return true
    }

    /// Text of a field value: UTF-8 when the bytes are valid UTF-8, otherwise ISO-8859-1
    /// (RFC 9110 §5.5 allows obs-text; decoding it one byte per scalar never fails).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var isASCII = true
        for byte in bytes where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII { return String(decoding: bytes, as: UTF8.self) }
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}
