import HTTPCore

/// A handler of the portals' pages: gets a ``WebRequest``, returns a response or throws (an
/// `HTTPResponseError` becomes its themed page, ``WebRedirect`` a 303).
public typealias WebHandler = @Sendable (WebRequest) throws -> HTTPResponse

/// A handler that needs no session, form or CSRF: images, JSON, health checks.
public typealias ResourceHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// One line of a portal's route table: method, path, the rate limit it spends, its CSRF rule
/// and its handler. The whole contract of a route in one value, so `clave routes` prints what
/// the binary really serves.
///
/// The constructors make the rules hold by construction:
/// - ``page(_:limit:_:)`` is a GET through the shell (session, flash notice, themed errors);
/// - ``form(_:limit:_:)`` is a POST through the shell, whose `csrf` field is checked before the
///   handler runs (403, nothing changed): there is no way to declare a POST page without it;
/// - ``resource(_:inline:_:)`` is a GET outside the shell (an image, JSON);
/// - ``exempt(_:_:because:_:)`` is the only way to a state-changing route without CSRF, and
///   its reason is listed by `clave routes`.
///
/// ```swift
/// .form("/secop/olvide-contrasena", limit: "secop.forgot-password") { request in
///     try request.rateLimit(identifier: request.field("usuario"))
///     ...
/// }
/// ```
public struct WebRoute: Sendable {
    /// How a route is protected against cross-site request forgery.
    public enum CSRFRule: Sendable, Equatable {
        /// A GET or HEAD: it changes nothing another site could exploit.
        case notNeeded
        /// The shell checks the form's `csrf` field against the session before the handler.
        case checked
        /// No check, for the reason given (listed by `clave routes`).
        case exempt(String)
    }

    /// What runs for the route.
    enum Handler: Sendable {
        case page(WebHandler)
        case resource(ResourceHandler)
    }

    /// The method (GET routes also answer HEAD).
    public let method: HTTPMethod
    /// The path or pattern (`/cajacopi/captcha/{id}.png`).
    public let path: String
    /// The rate limit (a ``RateLimitPolicy`` route name) the handler spends, if any; the
    /// handler can spend no other (``WebRequest/rateLimit(identifier:)``).
    public let limit: String?
    /// The route's CSRF rule.
    public let csrf: CSRFRule
    /// Whether the event loop may answer it without the worker pool (non-blocking, cheap).
    public let inline: Bool
    let handler: Handler

    /// A GET page through the shell.
    public static func page(_ path: String, limit: String? = nil, _ handler: @escaping WebHandler) -> WebRoute {
        WebRoute(method: .get, path: path, limit: limit, csrf: .notNeeded, inline: false, handler: .page(handler))
    }

    /// A POST form through the shell: its `csrf` field is checked before `handler` runs.
    public static func form(_ path: String, limit: String? = nil, _ handler: @escaping WebHandler) -> WebRoute {
        WebRoute(method: .post, path: path, limit: limit, csrf: .checked, inline: false, handler: .page(handler))
    }

    /// A GET outside the shell (no session, no CSRF): images, JSON, health checks.
    public static func resource(_ path: String, inline: Bool = false, _ handler: @escaping ResourceHandler) -> WebRoute {
        WebRoute(method: .get, path: path, limit: nil, csrf: .notNeeded, inline: inline, handler: .resource(handler))
    }

    /// A route of any method without CSRF checking, for `reason` (e.g. a development-only JSON
    /// API for test scripts on this machine).
    public static func exempt(_ method: HTTPMethod, _ path: String, because reason: String,
                              _ handler: @escaping ResourceHandler) -> WebRoute {
        WebRoute(method: method, path: path, limit: nil, csrf: .exempt(reason), inline: false, handler: .resource(handler))
    }
}

/// A portal's (or the shell's) routes, declared in one place.
public struct RouteTable: Sendable {
    /// Who owns the routes: a portal's code (`soi`), or `clave` for the shell's own pages.
    public let owner: String
    /// The routes, in the order they are listed.
    public let routes: [WebRoute]

    /// A table of `routes` owned by `owner`.
    public init(_ owner: String, _ routes: [WebRoute]) {
        self.owner = owner
        self.routes = routes
    }
}

/// One route as `clave routes` prints it.
public struct RouteListing: Sendable, Equatable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path or pattern.
    public var path: String
    /// The table's owner.
    public var owner: String
    /// The rate limit's name, or nil.
    public var limit: String?
    /// `checked`, `not needed`, or `exempt: reason`.
    public var csrf: String
}
