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

/// What the parser has found in the bytes appended so far.
public enum HTTPParserEvent: Sendable {
    /// The buffered bytes hold no further complete event.
    case needMore
    /// A request head is complete and a body follows. `expectsContinue` is true when the client
    /// sent `Expect: 100-continue` and none of the body has arrived yet: the connection should
    /// answer `100 Continue` now.
    case head(HTTPRequestHead, expectsContinue: Bool)
    /// A complete request. Several may be found in one buffer (pipelining).
    case request(HTTPRequest)
    /// The input is invalid; the connection answers `error.status` and closes.
    case error(HTTPParseError)
}

/// An incremental HTTP/1.1 request parser (RFC 9112).
///
/// The connection appends whatever bytes `read(2)` returned and then calls `next()` until it
/// answers `.needMore`, so a request may arrive split at any byte and several requests may
/// arrive in one read. The parser never reads past the current request's end.
public struct HTTPRequestParser: Sendable {
    /// Where the parser is within the current request, so the connection knows which timeout
    /// applies (header-read, body-read, or keep-alive idle).
    public enum Phase: Sendable, Equatable {
        /// No byte of a next request is buffered.
        case idle
        /// Some bytes of a request head are buffered.
        case head
        /// The head is complete; the body is being read.
        case body
    }

    public let limits: HTTPLimits

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Implemented by the parser work (issue 2).
    }

    /// The next event found in the buffered bytes.
    public mutating func next() -> HTTPParserEvent {
        .needMore
    }

    /// The current request's phase.
    public var phase: Phase { .idle }
}
