/// An incremental HTTP/1.1 request parser (RFC 9112).
///
/// The connection appends whatever bytes `read(2)` returned and then calls `next()` until it
/// answers `.needMore`, so a request may arrive split at any byte and several requests may
/// arrive in one read. The parser never reads past the current request's end.
///
/// It is strict on purpose (RFC 9112 §2.2 allows a server to reject what it cannot read
/// unambiguously): bare LF line endings, obs-fold, whitespace before a field's colon, a
/// Content-Length beside a Transfer-Encoding, are errors rather than guesses, because a proxy
/// in front of us might have guessed differently (request smuggling).
///
/// `Expect: 100-continue` sets `expectsContinue` (HTTP/1.1, body declared, none of it
/// buffered yet); any other expectation is ignored rather than answered 417, which RFC 9110
/// §10.1.1 allows and which keeps `HTTPParseError` free of a case no client here needs.
/// Because `expectsContinue` depends on what was buffered, it is the one part of the events
/// that can differ when the same bytes arrive in other pieces.
///
/// A request with a body gives `.head` (once the head is complete) and then `.request`; a
/// request without a body gives only `.request`. After `.error` the parser is dead: every later
/// `next()` returns the same error and appended bytes are dropped.
///
/// Memory: an incomplete head is bounded by the limits (checked before its CRLF arrives) and
/// a body by `maxBodyLength`; bytes of later pipelined requests stay buffered until `next()`
/// reaches them, so a connection that pauses parsing should also pause reading.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// bytes.withUnsafeBytes { parser.append($0) }
/// loop: while true {
///     switch parser.next() {
///     case .needMore: break loop
///     case .head(let head, let expectsContinue): ...
///     case .request(let request): ...
///     case .error(let error): answer(error.status); close()
///     }
/// }
/// ```
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

    /// What the parser expects next.
    enum State: Sendable {
        case requestLine
        case fields
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    /// RFC 9112 §2.2 asks a server to ignore "at least one" empty line before a request line
    /// (old clients send a CRLF after a POST body). A few are ignored; more are an error, so a
    /// peer cannot keep a connection busy with empty lines.
    static let maxLeadingEmptyLines = 4

    /// The limits this parser enforces.
    public let limits: HTTPLimits

    /// Received bytes; those before `readIndex` are consumed.
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Where the search for the current line's LF resumes, so bytes arriving one at a time
    /// are scanned once, not once per `next()` (no quadratic rescans).
    var scanIndex = 0
    var state: State = .requestLine
    var current = RequestInProgress()
    var failure: HTTPParseError?

    /// A parser with `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next event found in the buffered bytes.
    public mutating func next() -> HTTPParserEvent {
        if let failure { return .error(failure) }
        do throws(HTTPParseError) {
            while true {
                if let event = try step() { return event }
            }
        } catch {
            failure = error
            buffer = []
            readIndex = 0
            scanIndex = 0
            return .error(error)
        }
    }

    /// The current request's phase.
    public var phase: Phase {
        switch state {
        case .requestLine:
            (readIndex < buffer.count || current.emptyLines > 0) && failure == nil ? .head : .idle
        case .fields: .head
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: .body
        }
    }

    /// The number of received bytes not consumed yet (for tests and the connection's
    /// accounting).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Advances by one step: an event to return, or nil when progress was made and the loop
    /// should go on.
    mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        switch state {
        case .requestLine: return try stepRequestLine()
        case .fields: return try stepField()
        case .fixedBody(let remaining): return stepFixedBody(remaining: remaining)
        case .chunkSize: return try stepChunkSize()
        case .chunkData(let remaining): return stepChunkData(remaining: remaining)
        case .chunkDataEnd: return try stepChunkDataEnd()
        case .trailers: return try stepTrailer()
        }
    }

    /// Drops consumed bytes so the buffer does not grow with the connection's lifetime.
    /// Called before appending, never while a line range is held.
    mutating func compact() {
        if readIndex == buffer.count {
            // A large body left a large allocation: give it back rather than keep it per
            // idle connection.
            if buffer.capacity > 64 * 1024 { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            readIndex = 0
            scanIndex = 0
        } else if readIndex >= 4096, readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
    }

    /// Finishes the current request and gets ready for the next one (pipelining).
    mutating func finishRequest() -> HTTPParserEvent {
        let request = current.makeRequest()
        current = RequestInProgress()
        state = .requestLine
        return .request(request)
    }
}
