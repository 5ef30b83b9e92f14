/// An error that knows the response it stands for: its status, the header fields it adds
/// (`Allow`, `Retry-After`) and the sentence a person reads.
///
/// Handlers throw these instead of building error pages, so one place renders every error
/// (the server's plain ``ErrorPage``, or an application's themed page) and a new kind of error
/// needs no new `catch`. Hummingbird's `HTTPResponseError` is the model.
///
/// ```swift
/// struct RateLimited: HTTPResponseError {
///     var retryAfterSeconds: Int
///     var status: HTTPStatus { .tooManyRequests }
///     var headers: HTTPHeaders { ["Retry-After": String(retryAfterSeconds)] }
///     var message: String? { "Espere un momento antes de intentar de nuevo." }
/// }
/// ```
public protocol HTTPResponseError: Error, Sendable {
    /// The status the response carries.
    var status: HTTPStatus { get }
    /// Extra header fields of the response.
    var headers: HTTPHeaders { get }
    /// What the person reads; `nil` uses the status's default sentence.
    var message: String? { get }
}

extension HTTPError: HTTPResponseError {}
