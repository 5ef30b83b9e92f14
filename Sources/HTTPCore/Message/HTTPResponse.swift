/// A response as handlers build it. The server adds `Date`, `Content-Length` and
/// `Connection` when it writes the response, so handlers never frame messages themselves.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The least time between the request's arrival and this response leaving, or nil.
    ///
    /// A handler that must not reveal how much work it did (a "forgot password" page answers
    /// the same whether or not the account exists) sets a floor here. The event loop holds the
    /// finished response on its timer until then, so the wait costs no worker thread: a flood
    /// of such requests cannot starve the pool that every other page needs.
    public var minimumLatency: Duration?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A `text/html; charset=utf-8` response.
    public static func html(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    /// A redirect; 303 by default so that a POST is followed by a GET (post/redirect/get).
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Location": location])
    }
}
