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
