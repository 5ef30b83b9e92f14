/// Why a request was rejected. Every case maps to the status the connection answers with,
/// after which it closes (RFC 9112 §11: a server cannot resynchronise after a framing error).
public enum HTTPParseError: Error, Sendable, Equatable {
    /// Malformed syntax, with a short reason for the log (never echoed with user bytes).
    case badRequest(String)
    /// Request line over `HTTPLimits.maxRequestLineLength`.
    case uriTooLong
    /// A field, the field count or the whole head over its limit.
    case headerFieldsTooLarge
    /// Declared or decoded body over `HTTPLimits.maxBodyLength`.
    case contentTooLarge
    /// A transfer coding other than chunked (RFC 9112 §6.1).
    case notImplemented(String)
    /// A version other than HTTP/1.0 or HTTP/1.1.
    case versionNotSupported

    /// The status the server answers with.
    public var status: HTTPStatus {
        switch self {
        case .badRequest: .badRequest
        case .uriTooLong: .uriTooLong
        case .headerFieldsTooLarge: .requestHeaderFieldsTooLarge
        case .contentTooLarge: .contentTooLarge
        case .notImplemented: .notImplemented
        case .versionNotSupported: .httpVersionNotSupported
        }
    }
}
