/// The cookies a request sent in its `Cookie` field(s) (RFC 6265 §5.4).
///
/// Parsing is lenient, as browsers are with what servers set, but safe: pairs are split on
/// `;`, the first `=` splits name from value, surrounding double quotes are removed, and a pair
/// whose name is not a token or whose value holds a control byte, a space inside, `"`, `,`, `;`
/// or `\` is skipped rather than failing the request. When a name repeats, the first
/// occurrence wins (browsers send the most specific path first, RFC 6265 §5.4 ¶2). At most
/// `maxCount` cookies are kept, so a huge header costs little.
///
/// ```swift
/// let jar = CookieJar(header: "sesion=abc; csrf=\"x1\"; bad name=1")
/// jar["sesion"]   // "abc"
/// jar["csrf"]     // "x1"
/// ```
public struct CookieJar: Sendable, Equatable {
    /// The default for `maxCount`: browsers store about 50 cookies per domain.
    public static let defaultMaxCount = 50

    /// The cookies kept, in the order sent, names unique.
    public private(set) var cookies: [(name: String, value: String)] = []

    /// An empty jar.
    public init() {}

    /// The cookies of every `Cookie` field value, in order.
    public init(headerValues: [String], maxCount: Int = CookieJar.defaultMaxCount) {
        for header in headerValues {
            for pair in header.utf8.split(separator: HTTPSyntax.semicolon) {
                guard cookies.count < maxCount else { return }
                guard let (name, value) = Self.parsePair(pair) else { continue }
                if cookies.contains(where: { $0.name == name }) { continue }
                cookies.append((name: name, value: value))
            }
        }
    }

    /// The cookies of one `Cookie` field value.
    public init(header: String, maxCount: Int = CookieJar.defaultMaxCount) {
        self.init(headerValues: [header], maxCount: maxCount)
    }

    /// The value of the cookie `name`, or nil.
    public subscript(_ name: String) -> String? {
        cookies.first { $0.name == name }?.value
    }

    /// How many cookies the jar holds.
    public var count: Int { cookies.count }

    /// Whether the jar is empty.
    public var isEmpty: Bool { cookies.isEmpty }

    /// Same cookies in the same order (tuples are not `Equatable`, so this is spelled out).
    public static func == (lhs: CookieJar, rhs: CookieJar) -> Bool {
        lhs.cookies.count == rhs.cookies.count
            && zip(lhs.cookies, rhs.cookies).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// One `name=value` pair, or nil when it is malformed.
    static func parsePair(_ pair: Substring.UTF8View.SubSequence) -> (String, String)? {
        let bytes = Array(pair)
        var start = 0
        var end = bytes.count
        while start < end, HTTPSyntax.isWhitespace(bytes[start]) { start += 1 }
        while end > start, HTTPSyntax.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard let equals = bytes[start..<end].firstIndex(of: HTTPSyntax.equals) else { return nil }
        var nameEnd = equals
        while nameEnd > start, HTTPSyntax.isWhitespace(bytes[nameEnd - 1]) { nameEnd -= 1 }
        var valueStart = equals + 1
        while valueStart < end, HTTPSyntax.isWhitespace(bytes[valueStart]) { valueStart += 1 }
        let name = bytes[start..<nameEnd]
        var value = bytes[valueStart..<end]
        guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenByte) else { return nil }
        if value.count >= 2, value.first == HTTPSyntax.quote, value.last == HTTPSyntax.quote {
            value = value.dropFirst().dropLast()
        }
        guard value.allSatisfy(SetCookie.isCookieOctet) else { return nil }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }
}
