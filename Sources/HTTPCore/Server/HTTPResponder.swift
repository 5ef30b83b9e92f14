/// Something that answers requests: a router, static files, a whole application.
///
/// `respond(to:)` is synchronous and runs on a worker-pool thread, because the portals' handlers
/// do blocking work (SQLite, password hashing) that must stay off the event loops and off the
/// Swift concurrency pool. Throw `HTTPError` to choose a status; any other error becomes a 500
/// page carrying the request id, and the server keeps running.
///
/// ```swift
/// struct Hello: HTTPResponder {
///     func respond(to request: HTTPRequest) throws -> HTTPResponse { .text("hola") }
/// }
/// ```
public protocol HTTPResponder: Sendable {
    /// The response to `request`.
    func respond(to request: HTTPRequest) throws -> HTTPResponse

    /// Whether `request` may be answered directly on the event-loop thread, skipping the
    /// two thread switches of the worker pool.
    ///
    /// The rule: answer `true` only for work that never blocks and takes microseconds (health
    /// checks, metrics, files already in memory, redirects). The default is `false`.
    func respondsInline(to request: HTTPRequestHead) -> Bool
}

extension HTTPResponder {
    public func respondsInline(to request: HTTPRequestHead) -> Bool { false }
}

/// An `HTTPResponder` made from a closure.
public struct ClosureResponder: HTTPResponder {
    private let handler: @Sendable (HTTPRequest) throws -> HTTPResponse
    private let inline: Bool

    /// `inline: true` declares the closure non-blocking (see `respondsInline(to:)`).
    public init(inline: Bool = false, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.handler = handler
        self.inline = inline
    }

    public func respond(to request: HTTPRequest) throws -> HTTPResponse { try handler(request) }
    public func respondsInline(to request: HTTPRequestHead) -> Bool { inline }
}
