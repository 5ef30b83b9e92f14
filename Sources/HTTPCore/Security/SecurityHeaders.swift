/// The one place that decides the security header fields of a response (OWASP Secure
/// Headers), used by the server for the pages it writes before any application code runs and
/// by applications as middleware for everything else.
///
/// - `Content-Security-Policy`: ``ContentSecurityPolicy/pages`` unless the response set its own
///   (a handler's own policy is kept: the development mailbox's email preview, error pages'
///   stricter ``ContentSecurityPolicy/nothing``).
/// - `X-Content-Type-Options: nosniff`; `X-Frame-Options: DENY` (for browsers without CSP 2)
///   unless set; `Cross-Origin-Opener-Policy: same-origin` unless set.
/// - `Referrer-Policy`: `no-referrer` when the request carries a token in its query, else
///   `same-origin`; a handler may set `no-referrer` itself (pages with a token in a form).
/// - `Strict-Transport-Security` when the site is served over https (RFC 6797 §6.1).
/// - `Cache-Control: no-store` on HTML, so pages with personal data stay out of caches.
public struct SecurityHeaders: HTTPMiddleware {
    /// HSTS value: a year, subdomains included.
    public static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    /// Whether to send HSTS.
    public let hsts: Bool

    /// Headers for a site served over https when `hsts` is true.
    public init(hsts: Bool) { self.hsts = hsts }

    /// Only sets header fields: never blocks.
    public var isNonBlocking: Bool { true }

    /// Calls `next`, then adds the headers the response lacks.
    public func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        var response = try next(request)
        Self.apply(to: &response, request: request, hsts: hsts)
        return response
    }

    /// Whether a query string carries a token (`?token=…`): such a page must never send its URL
    /// in a `Referer`.
    static func queryCarriesToken(_ query: Substring?) -> Bool { query.map { $0.contains("token=") } ?? false }

    /// Adds the headers to `response` for `request` (whose query may carry a token).
    public static func apply(to response: inout HTTPResponse, request: HTTPRequest, hsts: Bool) {
        apply(to: &response, carriesToken: queryCarriesToken(request.query), hsts: hsts)
    }

    /// Adds the headers to `response`; `carriesToken` makes the referrer policy `no-referrer`.
    ///
    /// Each check reads the live fields, not a copy taken first: a copy would make the first
    /// change duplicate the whole list (copy on write) on every response, and no field added
    /// here is one that a later check reads.
    public static func apply(to response: inout HTTPResponse, carriesToken: Bool, hsts: Bool) {
        let isHTML = response.headers["Content-Type"]?.hasPrefix("text/html") == true
        let needsNoStore = isHTML && !response.headers.contains("Cache-Control")
        response.headers.reserveCapacity(response.headers.count + 7)
        if !response.headers.contains("Content-Security-Policy") {
            response.headers.add("Content-Security-Policy", ContentSecurityPolicy.pages.headerValue)
        }
        response.headers.replace("X-Content-Type-Options", "nosniff")
        if !response.headers.contains("X-Frame-Options") { response.headers.add("X-Frame-Options", "DENY") }
        if !response.headers.contains("Referrer-Policy") {
            response.headers.add("Referrer-Policy", carriesToken ? "no-referrer" : "same-origin")
        }
        if !response.headers.contains("Cross-Origin-Opener-Policy") { response.headers.add("Cross-Origin-Opener-Policy", "same-origin") }
        if hsts { response.headers.replace("Strict-Transport-Security", strictTransportSecurity) }
        if needsNoStore { response.headers.add("Cache-Control", "no-store") }
    }

    /// The fields of a page the server writes itself (parse errors, 413, 431, 503 when the
    /// queue is full): such a page never passes an application's middleware and needs nothing,
    /// so it allows nothing, is never framed, cached or sent as a referrer.
    public static func applyToServerPage(_ response: inout HTTPResponse) {
        if response.headers["Content-Security-Policy"] == nil {
            response.headers.replace("Content-Security-Policy", ContentSecurityPolicy.nothing.headerValue)
        }
        if response.headers["Referrer-Policy"] == nil { response.headers.replace("Referrer-Policy", "no-referrer") }
        if response.headers["Cache-Control"] == nil { response.headers.replace("Cache-Control", "no-store") }
        apply(to: &response, carriesToken: true, hsts: false)
    }
}
