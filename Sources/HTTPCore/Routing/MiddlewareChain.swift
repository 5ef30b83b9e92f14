/// Code that wraps every request on its way to the responder: security headers, sessions,
/// CSRF checks, rate limits. It may answer by itself or call `next`.
///
/// ```swift
/// struct NoSniff: HTTPMiddleware {
///     func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
///         var response = try next(request)
///         response.headers.replace("X-Content-Type-Options", "nosniff")
///         return response
///     }
/// }
/// ```
public protocol HTTPMiddleware: Sendable {
    func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse

    /// Whether this middleware never blocks, so requests the responder answers inline may stay
    /// inline through it. Default `false`: a middleware that touches SQLite must not run on an
    /// event loop, so declaring it safe is an explicit choice.
    var isNonBlocking: Bool { get }
}

extension HTTPMiddleware {
    public var isNonBlocking: Bool { false }
}

/// Middlewares in front of a responder, composed once at start-up into one closure, so a
/// request pays one call per middleware and no allocation for the chain. The first middleware
/// in the list sees the request first and the response last.
public struct MiddlewareChain: HTTPResponder {
    private let entry: @Sendable (HTTPRequest) throws -> HTTPResponse
    private let responder: any HTTPResponder
    private let allNonBlocking: Bool

    public init(_ middlewares: [any HTTPMiddleware], responder: any HTTPResponder) {
        var next: @Sendable (HTTPRequest) throws -> HTTPResponse = { try responder.respond(to: $0) }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { request in try middleware.respond(to: request, next: inner) }
        }
        entry = next
        self.responder = responder
        allNonBlocking = middlewares.allSatisfy(\.isNonBlocking)
    }

    public func respond(to request: HTTPRequest) throws -> HTTPResponse {
        try entry(request)
    }

    /// Inline only when the responder says so and every middleware is non-blocking.
    public func respondsInline(to request: HTTPRequestHead) -> Bool {
        allNonBlocking && responder.respondsInline(to: request)
    }
}
