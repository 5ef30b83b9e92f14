/// What the parser has learned about the request it is reading.
struct RequestInProgress: Sendable {
    /// How the body is delimited (RFC 9112 §6.3).
    enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    var emptyLines = 0
    var method = HTTPMethod.get
    /// The target in origin-form (`RequestTarget.originForm`).
    var target = ""
    /// The authority of an absolute-form target, if it was one.
    ///
    /// RFC 9112 §3.2.2: when the target is in absolute-form, the server MUST ignore the Host
    /// field and use the target's authority instead. The Host rules of `framing(limits:)` still
    /// apply (an HTTP/1.1 request needs exactly one Host, whatever its target form), so this
    /// only changes the value the one field carries: the parser stores the authority in its
    /// place, and handlers that read Host (the loopback check of the development routes) see
    /// the authority the client asked for. An HTTP/1.0 request without Host gets none added:
    /// its fields stay the ones the limits counted, and the loopback check refuses a request
    /// without Host, the safe side. Nothing builds links from Host either way; links use the
    /// configured public URL.
    var authority: String?
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    /// Head bytes so far, request line and CRLFs included (trailers are added too).
    var headBytes = 0
    /// Fields so far, trailers included.
    var fieldCount = 0
    var hostCount = 0
    /// The Content-Length every field so far agreed on.
    var contentLength: Int?
    /// Whether any Transfer-Encoding field was seen, even an empty one.
    var hasTransferEncoding = false
    var transferEncodings: [String] = []
    var expectsContinue = false
    var body: [UInt8] = []
    var trailers = HTTPHeaders()

    var head: HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: version, headers: headers)
    }

    /// Moves the parts into a request, leaving the body and headers behind.
    mutating func makeRequest() -> HTTPRequest {
        HTTPRequest(head: head, body: body, trailers: trailers)
    }

    /// Decides the body's framing once the head is complete (RFC 9112 §6.3), checking the
    /// head-wide rules (Host, Content-Length beside Transfer-Encoding).
    func framing(limits: HTTPLimits) throws(HTTPParseError) -> Framing {
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host and to
        // any request with more than one Host field.
        if hostCount > 1 { throw .badRequest("more than one Host") }
        if hostCount == 0, version == .http1_1 { throw .badRequest("missing Host") }

        if hasTransferEncoding {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as
            // having faulty framing (1.0 peers may not know chunked).
            if version == .http1_0 { throw .badRequest("Transfer-Encoding in HTTP/1.0") }
            // RFC 9112 §6.3 ¶3: both present means a possible smuggling attempt; treat it as
            // an error and close.
            if contentLength != nil { throw .badRequest("Transfer-Encoding with Content-Length") }
            return try Self.chunkedFraming(transferEncodings)
        }
        guard let contentLength else { return .none }
        if contentLength > limits.maxBodyLength { throw .contentTooLarge }
        return contentLength == 0 ? .none : .length(contentLength)
    }

    /// Checks the transfer codings of a request: chunked must be there, once, and last.
    ///
    /// RFC 9112 §6.3 ¶4: when chunked is not the final coding of a request, its length cannot
    /// be known and the answer is 400; that rule comes first. A list ending in chunked with
    /// another coding before it (`gzip, chunked`) is well framed but asks for a coding we do
    /// not implement: 501 (RFC 9112 §6.1).
    static func chunkedFraming(_ codings: [String]) throws(HTTPParseError) -> Framing {
        guard let last = codings.last, last == "chunked" else {
            throw .badRequest("chunked is not the final transfer coding")
        }
        let others = codings.dropLast()
        if others.contains("chunked") { throw .badRequest("chunked applied more than once") }
        // The coding's name is not put in the error: reasons may reach a log or a page, and
        // never carry the peer's bytes.
        if !others.isEmpty { throw .notImplemented("unsupported transfer coding") }
        return .chunked
    }
}
