/// The HTTP version of a request line: 1.0 or 1.1. A higher 1.x arrives as 1.1 (RFC 9110
/// §2.5, see `RequestLine.version`); another major version is a 505.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public init(major: Int, minor: Int) { self.major = major; self.minor = minor }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A parsed request head: everything before the body.
///
/// The parser produces it as soon as the head is complete, so the connection can answer
/// `Expect: 100-continue` or reject an oversized body before reading it.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target in origin-form (`/path?query`), or `*` for `OPTIONS *`. An
    /// absolute-form target (`http://host/path?query`) arrives reduced to its path and query,
    /// its authority in the Host field (RFC 9112 §3.2.2, see `RequestTarget`), so `path`,
    /// `query`, the router and static files never see a scheme or host.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The path part of the target, still percent-encoded.
    ///
    /// The target is visible ASCII (the parser refuses anything else), so the `?` is found in
    /// its bytes: a search by `Character` would cost grapheme breaking on every request, and
    /// the router and static files ask for the path several times per request.
    public var path: Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return target[...]
    }

    /// The query part of the target without the `?`, or nil when there is none.
    public var query: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }

    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let tokens = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        if tokens.contains("close") { return false }
        if version == .http1_0 { return tokens.contains("keep-alive") }
        return true
    }
}

/// A complete request as handlers see it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The decoded body (chunked framing already removed).
    public var body: [UInt8]
    /// Trailer fields of a chunked body, if any.
    public var trailers: HTTPHeaders
    /// The peer's address as text (`127.0.0.1`, `::1`), set by the server.
    public var remoteAddress: String
    /// A short id unique per request, for the access log and error pages.
    public var requestID: String
    /// Path parameters captured by the router (`{id}` in `/captcha/{id}.png`).
    public var parameters: [String: String]

    public init(
        head: HTTPRequestHead,
        body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders(),
        remoteAddress: String = "",
        requestID: String = "",
        parameters: [String: String] = [:]
    ) {
        self.head = head
        self.body = body
        self.trailers = trailers
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.parameters = parameters
    }

    public var method: HTTPMethod { head.method }
    public var target: String { head.target }
    public var path: Substring { head.path }
    public var query: Substring? { head.query }
    public var headers: HTTPHeaders { head.headers }
    public var version: HTTPVersion { head.version }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and horizontal tabs (RFC 9110 OWS).
    func trimmingSpaces() -> Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return Substring(s)
    }
}
