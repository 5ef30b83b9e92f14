/// An error a handler throws to answer with a chosen status instead of 500.
///
/// The server renders it as a small HTML page whose message is escaped, so user input quoted
/// in a message can never inject markup.
///
/// ```swift
/// guard let form = try? FormData(request) else {
///     throw HTTPError(.badRequest, message: "El formulario no es válido.")
/// }
/// ```
public struct HTTPError: Error, Sendable, Equatable {
    /// The status the response carries.
    public var status: HTTPStatus
    /// A short Spanish sentence shown to the user; `nil` uses a generic one for the status.
    public var message: String?
    /// Extra header fields (`Allow` for 405, `Retry-After` for 503, ...).
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, message: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message
        self.headers = headers
    }
}
