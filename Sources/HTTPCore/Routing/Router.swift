/// Routes requests by method and path pattern to handlers, mounted responders and redirects.
///
/// Built once at start-up, then shared read-only by every worker. Literal paths are found with
/// one dictionary look-up; patterns with parameters (`/cajacopi/captcha/{id}.png`) are compared
/// segment by segment; then prefix mounts (`/static/`) are tried, longest first.
/// HEAD is answered by the GET route (the server drops the body). A path that matches with
/// another method answers 405 with `Allow`; no match answers 404.
///
/// ```swift
/// var router = Router()
/// router.get("/healthz", inline: true) { _ in .text("ok") }
/// router.get("/_correo/api/mensajes/{id}") { request in
///     .text(request.parameters["id"] ?? "")
/// }
/// router.mount("/static/", try StaticFiles(folder: "Resources/static"))
/// ```
public struct Router: HTTPResponder {
    struct Entry: Sendable {
        let handler: @Sendable (HTTPRequest) throws -> HTTPResponse
        let inline: Bool
    }

    /// Keyed by `Substring` so that a request's path is looked up as it is, without copying
    /// it into a `String` first.
    private var literal: [Substring: [HTTPMethod: Entry]] = [:]
    private var patterns: [(pattern: RoutePattern, methods: [HTTPMethod: Entry])] = []
    private var mounts: [(prefix: String, responder: any HTTPResponder)] = []
    /// Patterns `add` refused as malformed; start-up code checks it is empty.
    public private(set) var invalidPatterns: [String] = []
    /// How a request that matches no route is answered.
    public var unmatched: UnmatchedAnswer

    /// How the router answers a request no route matches (404) or that names a route with
    /// another method (405, with `Allow`).
    public enum UnmatchedAnswer: Sendable, Equatable {
        /// The server's plain ``ErrorPage``.
        case serverPage
        /// Throws the ``HTTPError``, so an application's error middleware renders its own page
        /// (one place for every error, instead of recognising the router's pages afterwards).
        case throwError
    }

    /// An empty router answering unmatched requests as `unmatched` says.
    public init(unmatched: UnmatchedAnswer = .serverPage) { self.unmatched = unmatched }

    /// Adds a route. `inline: true` declares the handler non-blocking and microseconds-cheap,
    /// so the event loop may answer it without the worker pool (see
    /// `HTTPResponder.respondsInline(to:)`). A malformed or duplicate pattern is a programming
    /// error: the route is not added and the pattern is listed in `invalidPatterns` (or use
    /// `tryAdd`, which throws).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, inline: Bool = false,
                             _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        do {
            try tryAdd(method, pattern, inline: inline, handler)
        } catch {
            invalidPatterns.append(pattern)
        }
    }

    /// Adds a route, throwing `RouterError.invalidPattern` for a malformed pattern and
    /// `RouterError.duplicateRoute` when the method and pattern are taken: a second handler
    /// would otherwise silently replace the first.
    public mutating func tryAdd(_ method: HTTPMethod, _ pattern: String, inline: Bool = false,
                                _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) throws {
        let compiled = try RoutePattern(pattern)
        let entry = Entry(handler: handler, inline: inline)
        if compiled.isLiteral {
            guard literal[pattern[...]]?[method] == nil else { throw RouterError.duplicateRoute(method: method, pattern: pattern) }
            literal[pattern[...], default: [:]][method] = entry
        } else if let index = patterns.firstIndex(where: { $0.pattern == compiled }) {
            guard patterns[index].methods[method] == nil else {
                throw RouterError.duplicateRoute(method: method, pattern: pattern)
            }
            patterns[index].methods[method] = entry
        } else {
            patterns.append((compiled, [method: entry]))
        }
    }

    /// A GET route (which also answers HEAD).
    public mutating func get(_ pattern: String, inline: Bool = false, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        add(.get, pattern, inline: inline, handler)
    }

    /// A POST route.
    public mutating func post(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        add(.post, pattern, handler)
    }

    /// A DELETE route.
    public mutating func delete(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        add(.delete, pattern, handler)
    }

    /// A redirect from `path` to `location` (301 by default, for moved pages).
    public mutating func redirect(_ path: String, to location: String, status: HTTPStatus = .movedPermanently) {
        add(.get, path, inline: true) { _ in .redirect(to: location, status: status) }
    }

    /// Hands every request whose path starts with `prefix` (which should end with `/`) to
    /// `responder`, with the prefix removed from the target: `/static/app.css` reaches
    /// `StaticFiles` as `/app.css`. Routes added with `add` win over mounts.
    public mutating func mount(_ prefix: String, _ responder: any HTTPResponder) {
        mounts.append((prefix, responder))
        mounts.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    // MARK: Matching

    enum Match {
        case route(Entry, [String: String])
        case mount(any HTTPResponder, HTTPRequestHead)
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    func match(_ head: HTTPRequestHead) -> Match {
        let path = head.path
        if let methods = literal[path] {
            return choose(head.method, in: methods, parameters: [:])
        }
        if !patterns.isEmpty {
            // Split only when some pattern has as many segments and the same first literal:
            // a static file's path then costs no array of segments.
            let segmentCount = path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
            var parts: [Substring]?
            for (pattern, methods) in patterns where pattern.mayMatch(path, segmentCount: segmentCount) {
                let split = parts ?? path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
                parts = split
                if let parameters = pattern.match(split) {
                    return choose(head.method, in: methods, parameters: parameters)
                }
            }
        }
        // Byte comparison: the target is ASCII, and `Substring.hasPrefix` compares Characters.
        for (prefix, responder) in mounts where path.utf8.starts(with: prefix.utf8) {
            var inner = head
            let rest = head.target.dropFirst(prefix.utf8.count)
            inner.target = rest.hasPrefix("/") ? String(rest) : "/" + rest
            return .mount(responder, inner)
        }
        return .notFound
    }

    private func choose(_ method: HTTPMethod, in methods: [HTTPMethod: Entry], parameters: [String: String]) -> Match {
        if let entry = methods[method] ?? (method == .head ? methods[.get] : nil) {
            return .route(entry, parameters)
        }
        var allowed = Array(methods.keys)
        if methods[.get] != nil && methods[.head] == nil { allowed.append(.head) }
        return .methodNotAllowed(allowed.sorted { $0.rawValue < $1.rawValue })
    }

    // MARK: HTTPResponder

    public func respond(to request: HTTPRequest) throws -> HTTPResponse {
        switch match(request.head) {
        case .route(let entry, let parameters):
            var request = request
            if !parameters.isEmpty { request.parameters = parameters }
            return try entry.handler(request)
        case .mount(let responder, let head):
            var request = request
            request.head = head
            return try responder.respond(to: request)
        case .methodNotAllowed(let allowed):
            let error = HTTPError(.methodNotAllowed, headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")])
            if unmatched == .throwError { throw error }
            return ErrorPage.response(error.status, requestID: request.requestID, headers: error.headers)
        case .notFound:
            if unmatched == .throwError { throw HTTPError(.notFound) }
            return ErrorPage.response(.notFound, requestID: request.requestID)
        }
    }

    public func respondsInline(to request: HTTPRequestHead) -> Bool {
        switch match(request) {
        case .route(let entry, _): entry.inline
        case .mount(let responder, let head): responder.respondsInline(to: head)
        case .methodNotAllowed, .notFound: true
        }
    }
}
