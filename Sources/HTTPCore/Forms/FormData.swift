/// Ordered name/value pairs from an `application/x-www-form-urlencoded` body or a query
/// string (WHATWG URL Standard, "application/x-www-form-urlencoded parsing").
///
/// Decoding follows the standard (split on `&`, the first `=` splits name from value, `+` is
/// a space, `%XX` is a byte) with two deliberate differences: a malformed `%` escape and bytes
/// that are not UTF-8 are errors instead of being passed through or replaced with U+FFFD, so
/// a handler never acts on a value the browser did not send.
///
/// ```swift
/// let form = try FormData(urlEncoded: Array("a=1&b=%C3%A9+x".utf8))
/// form["b"]          // "é x"
/// form.values("a")   // ["1"]
/// ```
public struct FormData: Sendable, Equatable {
    /// The pairs in the order they were sent; a name may repeat.
    public private(set) var pairs: [(name: String, value: String)]

    /// A form holding `pairs`.
    public init(pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Decodes an `application/x-www-form-urlencoded` body.
    public init(urlEncoded bytes: some Collection<UInt8>, limits: FormLimits = FormLimits()) throws(FormDecodingError) {
        if bytes.count > limits.maxLength { throw .tooLong }
        pairs = try Self.decode(Array(bytes), limits: limits)
    }

    /// Decodes a query string (the part of the target after `?`, without the `?`).
    public init(query: Substring, limits: FormLimits = FormLimits()) throws(FormDecodingError) {
        try self.init(urlEncoded: query.utf8, limits: limits)
    }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// Whether the form has no pairs.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Same pairs in the same order (tuples are not `Equatable`, so this is spelled out).
    public static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.pairs.count == rhs.pairs.count
            && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Splits and decodes the pairs.
    static func decode(_ bytes: [UInt8], limits: FormLimits) throws(FormDecodingError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x26 { end += 1 }
            // WHATWG: empty sequences (`a=1&&b=2`, a trailing `&`) are skipped.
            if end > start {
                if pairs.count == limits.maxFields { throw .tooManyFields }
                var equals = start
                while equals < end, bytes[equals] != 0x3D { equals += 1 }
                let name = try decodeComponent(bytes[start..<equals], plusIsSpace: true)
                let value = equals < end ? try decodeComponent(bytes[(equals + 1)..<end], plusIsSpace: true) : ""
                pairs.append((name: name, value: value))
            }
            start = end + 1
        }
        return pairs
    }

    /// Percent-decodes one name or value and checks it is UTF-8.
    static func decodeComponent(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) throws(FormDecodingError) -> String {
        guard let decoded = PercentEncoding.decodeBytes(bytes, plusIsSpace: plusIsSpace) else {
            throw .malformedEscape
        }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }
}
