/// Size limits the request parser enforces, with the status each one answers.
///
/// An explicit struct, as NIOHTTP1's `HTTPParserLimits`, so that every limit is documented in
/// one place and tests can lower them. The defaults fit the portals' forms with room to spare
/// while keeping a hostile client's cost per connection small.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, method to version, without CRLF. Over it: 414 URI Too Long.
    public var maxRequestLineLength: Int = 8 * 1024
    /// Longest single header field line (name, colon, value). Over it: 431.
    public var maxHeaderFieldLength: Int = 8 * 1024
    /// Most header fields in one request (trailers included). Over it: 431.
    public var maxHeaderCount: Int = 100
    /// Most bytes in the whole head (request line and fields). Over it: 431.
    public var maxHeadLength: Int = 32 * 1024
    /// Largest decoded body. Over it: 413 Content Too Large, before the body is read.
    public var maxBodyLength: Int = 1024 * 1024
    /// Longest chunk-size line of a chunked body (size plus chunk extensions, without CRLF).
    /// Extensions are parsed and ignored (RFC 9112 §7.1.1), so this only bounds their cost.
    /// Over it: 400.
    public var maxChunkLineLength: Int = 1024

    /// The defaults above.
    public init() {}

    /// Limits with some values changed; the others keep their defaults.
    public init(
        maxRequestLineLength: Int = 8 * 1024,
        maxHeaderFieldLength: Int = 8 * 1024,
        maxHeaderCount: Int = 100,
        maxHeadLength: Int = 32 * 1024,
        maxBodyLength: Int = 1024 * 1024,
        maxChunkLineLength: Int = 1024
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderFieldLength = maxHeaderFieldLength
        self.maxHeaderCount = maxHeaderCount
        self.maxHeadLength = maxHeadLength
        self.maxBodyLength = maxBodyLength
        self.maxChunkLineLength = maxChunkLineLength
    }
}
