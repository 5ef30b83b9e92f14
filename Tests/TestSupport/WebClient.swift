import Foundation

/// A small browser for tests: HTTP/1.1 to the app, in process or over a real socket (its
/// ``WebTransport``), with a cookie jar, form posting and the `csrf` hidden field taken from the
/// page, like a browser submitting a form it was shown.
///
/// ```swift
/// let browser = harness.browser()
/// let page = try browser.get("/secop/ingreso")
/// let after = try browser.submit(page, to: "/secop/ingreso", ["usuario": "demo.secop", "contrasena": "..."])
/// #expect(after.status == 303)
/// ```
public final class WebClient: @unchecked Sendable {
    /// Where requests go: the app's responder in process, or a server's socket.
    public let transport: any WebTransport
    /// The `Host` field sent with every request.
    public var host: String
    /// Cookies by name, as the server set them (expired ones removed).
    public private(set) var cookies: [String: String] = [:]
    /// Header fields sent with every request (e.g. `X-Forwarded-For`).
    public var extraHeaders: [(String, String)] = []

    /// A client with an empty cookie jar, over `transport`; `host` is the `Host` field.
    public init(transport: any WebTransport, host: String = "127.0.0.1") {
        self.transport = transport
        self.host = host
    }

    /// A client of the live server on 127.0.0.1:`port`.
    public convenience init(port: Int) {
        self.init(transport: SocketTransport(port: port), host: "127.0.0.1:\(port)")
    }

    /// `GET path`.
    public func get(_ path: String, headers: [(String, String)] = []) throws -> WebResponse {
        try request("GET", path, headers: headers)
    }

    /// `POST path` with `fields` form-encoded, exactly as given (no csrf added).
    public func post(_ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) throws -> WebResponse {
        let body = Array(WebClient.formEncode(fields).utf8)
        return try request("POST", path, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")], body: body)
    }

    /// Posts `fields` plus the `csrf` field of `page` (the form a browser would submit).
    public func submit(_ page: WebResponse, to path: String, _ fields: [String: String]) throws -> WebResponse {
        let csrf = try page.csrfToken()
        return try post(path, [("csrf", csrf)] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// GETs `pagePath`, then submits its form to `action` (default: the same path) with `fields`.
    public func fillAndSubmit(_ pagePath: String, action: String? = nil, _ fields: [String: String]) throws -> WebResponse {
        try submit(try get(pagePath), to: action ?? pagePath.components(separatedBy: "?")[0], fields)
    }

    /// Sends a request (`Connection: close`, as on a fresh connection) and reads the response.
    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> WebResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        if !cookies.isEmpty {
            head += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        for (name, value) in extraHeaders + headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        let raw = try transport.exchange(Array((head + "\r\n").utf8) + body, isHead: method == "HEAD")
        let response = WebResponse(status: raw.status, headers: raw.headers, body: raw.body)
        for value in response.headerValues("Set-Cookie") { store(cookie: value) }
        return response
    }

    /// Forgets every cookie.
    public func clearCookies() { cookies.removeAll() }

    /// Sets a cookie by hand (forged or stolen cookies in tests).
    public func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    private func store(cookie line: String) {
        let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<equals])
        let value = String(pair[pair.index(after: equals)...])
        if parts.contains(where: { $0.lowercased() == "max-age=0" }) || value.isEmpty {
            cookies[name] = nil
        } else {
            cookies[name] = value
        }
    }

    /// `application/x-www-form-urlencoded` for `fields`.
    public static func formEncode(_ fields: [(String, String)]) -> String {
        // ASCII only, as a browser encodes a form: anything else goes as UTF-8 percent-escapes.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
        }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

/// A response as ``WebClient`` read it.
public struct WebResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields in order.
    public var headers: [(String, String)]
    /// The body bytes.
    public var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headerValues(name).first }

    /// Every value of header `name`.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The `Location` of a redirect.
    public var location: String? { header("Location") }

    /// The value of the hidden `csrf` field of the page's (first) form.
    public func csrfToken() throws -> String {
        guard let value = hiddenField("csrf") else { throw WebClientError.noCSRFField(status) }
        return value
    }

    /// The value of `<input ... name="NAME" value="...">` in the page, unescaped, if present.
    public func hiddenField(_ name: String) -> String? {
        let marker = "name=\"\(name)\" value=\""
        guard let start = text.range(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Why ``WebClient`` could not do what a test asked.
public enum WebClientError: Error, CustomStringConvertible {
    /// The page has no `csrf` field.
    case noCSRFField(Int)
    /// No mail arrived in time.
    case noMail(String)

    public var description: String {
        switch self {
        case .noCSRFField(let status): "the page (status \(status)) has no csrf field"
        case .noMail(let address): "no mail for \(address) arrived in time"
        }
    }
}
