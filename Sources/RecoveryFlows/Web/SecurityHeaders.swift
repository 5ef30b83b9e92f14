import HTTPCore

/// Adds the security headers to every response (DESIGN.md, Rules; OWASP Secure Headers).
///
/// - `Content-Security-Policy`: nothing inline, nothing from elsewhere, no framing
///   (`frame-ancestors 'none'`, CSP Level 2 §7.7.3). A handler that needs another policy (the
///   development mailbox's email view) sets its own and it is kept.
/// - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers without CSP 2).
/// - `Referrer-Policy`: `no-referrer` when the request carries a token in its query, else
///   `same-origin`; a handler may set `no-referrer` itself (pages with a token in a form).
/// - `Strict-Transport-Security` when the public URL is https (RFC 6797 §6.1).
/// - `Cache-Control: no-store` on HTML, so pages with personal data stay out of caches.
public struct SecurityHeaders: HTTPMiddleware {
    /// The page policy (`script-src 'self'`, `style-src 'self'`, ...).
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    /// HSTS value: a year, subdomains included.
    public static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    /// Whether to send HSTS.
    public let hsts: Bool

    /// Headers for an app served at an https public URL when `hsts` is true.
    public init(hsts: Bool) { self.hsts = hsts }

    /// Only sets header fields: never blocks.
    public var isNonBlocking: Bool { true }

    /// Calls `next`, then adds the headers the response lacks.
    public func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        var response = try next(request)
        Self.apply(to: &response, request: request, hsts: hsts)
        return response
    }

    /// Adds the headers to `response` (also used for error pages built outside the chain).
    public static func apply(to response: inout HTTPResponse, request: HTTPRequest, hsts: Bool) {
        let headers = response.headers
        if headers["Content-Security-Policy"] == nil {
            response.headers.replace("Content-Security-Policy", contentSecurityPolicy)
        }
        response.headers.replace("X-Content-Type-Options", "nosniff")
        if headers["X-Frame-Options"] == nil { response.headers.replace("X-Frame-Options", "DENY") }
        if headers["Referrer-Policy"] == nil {
            let carriesToken = request.query.map { $0.contains("token=") } ?? false
            response.headers.replace("Referrer-Policy", carriesToken ? "no-referrer" : "same-origin")
        }
        if headers["Cross-Origin-Opener-Policy"] == nil { response.headers.replace("Cross-Origin-Opener-Policy", "same-origin") }
        if hsts { response.headers.replace("Strict-Transport-Security", strictTransportSecurity) }
        if headers["Cache-Control"] == nil, headers["Content-Type"]?.hasPrefix("text/html") == true {
            response.headers.replace("Cache-Control", "no-store")
        }
    }
}
