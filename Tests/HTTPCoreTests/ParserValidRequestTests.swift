import HTTPCore
import Testing

@Suite("HTTPRequestParser: valid requests")
struct ParserValidRequestTests {
    @Test func simpleGet() throws {
        let events = ParserHarness.events("GET /soi/ingreso?x=1 HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n")
        #expect(events == [
            .request(method: "GET", target: "/soi/ingreso?x=1", version: "HTTP/1.1",
                     headers: ["Host: localhost", "Accept: */*"], body: [], trailers: []),
        ])
    }

    @Test func headersKeepOrderRepetitionAndTrimValues() throws {
        var parser = HTTPRequestParser()
        let text = "GET / HTTP/1.1\r\nHost:example.com\r\nX-A: \t one two \t\r\nx-a: second\r\nEmpty:\r\n\r\n"
        Array(text.utf8).withUnsafeBytes { parser.append($0) }
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.headers["host"] == "example.com")
        #expect(request.headers.values("X-A") == ["one two", "second"])
        #expect(request.headers["Empty"] == "")
        #expect(request.path == "/")
        #expect(request.query == nil)
        guard case .needMore = parser.next() else {
            Issue.record("expected needMore")
            return
        }
        #expect(parser.phase == .idle)
    }

    @Test func postWithContentLength() {
        let events = ParserHarness.events(
            "POST /secop/ingreso HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nusuario=ana")
        let headers = ["Host: h", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 11"]
        #expect(events == [
            .head(method: "POST", target: "/secop/ingreso", version: "HTTP/1.1", headers: headers, expectsContinue: false),
            .request(method: "POST", target: "/secop/ingreso", version: "HTTP/1.1", headers: headers,
                     body: Array("usuario=ana".utf8), trailers: []),
        ])
    }

    @Test func contentLengthZeroHasNoBodyEvent() {
        let events = ParserHarness.events("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
        #expect(events.count == 1)
        guard case .request(_, _, _, _, let body, _) = events.first else {
            Issue.record("expected a request, got \(events)")
            return
        }
        #expect(body.isEmpty)
    }

    @Test func identicalContentLengthRepeatsAreAccepted() {
        // RFC 9112 §6.3 ¶5.
        let events = ParserHarness.events("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc")
        #expect(events.count == 2)
        if case .request(_, _, _, _, let body, _) = events.last { #expect(body == Array("abc".utf8)) }
        else { Issue.record("expected a request, got \(events)") }
    }

    @Test func chunkedWithExtensionsAndTrailers() {
        let text = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip-not, chunked\r\n\r\n"
        // gzip-not is not implemented: 501. The valid case uses chunked alone.
        #expect(ParserHarness.status(text) == 501)

        let valid = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=value;quoted=\"a \\\"b\\\" c\" ; flag\r\nhello\r\n"
            + "000A\r\n, world!!!\r\n"
            + "0\r\nX-Checksum: abc\r\nX-Other:  2 \r\n\r\n"
        let events = ParserHarness.events(valid)
        #expect(events == [
            .head(method: "POST", target: "/up", version: "HTTP/1.1",
                  headers: ["Host: h", "Transfer-Encoding: Chunked"], expectsContinue: false),
            .request(method: "POST", target: "/up", version: "HTTP/1.1",
                     headers: ["Host: h", "Transfer-Encoding: Chunked"],
                     body: Array("hello, world!!!".utf8), trailers: ["X-Checksum: abc", "X-Other: 2"]),
        ])
    }

    @Test func emptyChunkedBody() {
        let events = ParserHarness.events("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(events.count == 2)
        if case .request(_, _, _, _, let body, let trailers) = events.last {
            #expect(body.isEmpty)
            #expect(trailers.isEmpty)
        } else {
            Issue.record("expected a request, got \(events)")
        }
    }

    @Test func threePipelinedRequestsComeOutInOrder() {
        let text = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
            + "GET /c HTTP/1.1\r\nHost: h\r\n\r\n"
        let targets = ParserHarness.events(text).compactMap { event -> String? in
            if case .request(_, let target, _, _, _, _) = event { return target }
            return nil
        }
        #expect(targets == ["/a", "/b", "/c"])
    }

    @Test func http10KeepAlive() throws {
        var parser = HTTPRequestParser()
        Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8).withUnsafeBytes { parser.append($0) }
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.version == .http1_0)
        #expect(request.head.keepAlive)
    }

    @Test func http10WithoutHostAndWithoutKeepAliveCloses() throws {
        var parser = HTTPRequestParser()
        Array("GET / HTTP/1.0\r\n\r\n".utf8).withUnsafeBytes { parser.append($0) }
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(!request.head.keepAlive)
    }

    /// RFC 9110 §2.5: a higher minor version is treated as the highest we support, 1.1: it
    /// must carry Host, may be chunked, stays alive by default and may ask for 100-continue.
    @Test(arguments: ["HTTP/1.2", "HTTP/1.9"])
    func aHigherMinorVersionIsServedAsHTTP11(_ version: String) throws {
        let request = try #require(ParserHarness.request("GET /healthz \(version)\r\nHost: h\r\n\r\n"))
        #expect(request.version == .http1_1)
        #expect(request.head.keepAlive)
        #expect(ParserHarness.status("GET / \(version)\r\nAccept: */*\r\n\r\n") == 400)
        let chunked = ParserHarness.events(
            "POST / \(version)\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
        #expect(chunked == [.head(method: "POST", target: "/", version: "HTTP/1.1",
                                  headers: ["Host: h", "Transfer-Encoding: chunked", "Expect: 100-continue"],
                                  expectsContinue: true)])
        let closing = ParserHarness.events("GET / \(version)\r\nHost: h\r\nConnection: close\r\n\r\n")
        #expect(closing.count == 1 && closing[0].error == nil)
    }

    /// RFC 9112 §7.1.1 with RFC 9110 §5.6.3: BWS around `;` and `=` is parsed and dropped
    /// (whitespace leading to neither is refused, see ParserRejectionTests.chunkCases).
    @Test func chunkExtensionsWithBadWhitespace() {
        let head = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        for line in ["5 ;a", "5\t;a", "5 ; a", "5;a = b", "5;a\t=\t\"b c\"", "5;a ;b=c ; d", "5 ;a=\"x\" ;b"] {
            let events = ParserHarness.events(head + line + "\r\nhello\r\n0 ;fin\r\n\r\n")
            #expect(events.last == .request(method: "POST", target: "/up", version: "HTTP/1.1",
                                            headers: ["Host: h", "Transfer-Encoding: chunked"],
                                            body: Array("hello".utf8), trailers: []), "\(line)")
        }
    }

    @Test func expectContinueBeforeAnyBody() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n"
        let events = ParserHarness.events(Array((head + "body").utf8), cuts: [head.utf8.count])
        guard case .head(_, _, _, _, let expectsContinue) = events.first else {
            Issue.record("expected a head, got \(events)")
            return
        }
        #expect(expectsContinue)
        #expect(events.count == 2)
    }

    @Test func expectContinueNotAskedWhenBodyAlreadyHereOrHTTP10OrNoBody() {
        func expects(_ text: String) -> Bool? {
            if case .head(_, _, _, _, let expectsContinue) = ParserHarness.events(text).first { return expectsContinue }
            return nil
        }
        #expect(expects("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody") == false)
        #expect(expects("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n") == false)
        #expect(expects("POST / HTTP/1.1\r\nHost: h\r\nExpect: something-else\r\nContent-Length: 4\r\n\r\n") == false)
        // No body: only .request, nothing to continue.
        let noBody = ParserHarness.events("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n")
        #expect(noBody.count == 1)
    }

    @Test func headRequest() {
        let events = ParserHarness.events("HEAD /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(events == [.request(method: "HEAD", target: "/healthz", version: "HTTP/1.1",
                                    headers: ["Host: h"], body: [], trailers: [])])
    }

    @Test func obsTextValueDecodesAsLatin1AndUTF8AsUTF8() {
        let bytes: [UInt8] = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Latin: caf".utf8) + [0xE9]
            + Array("\r\nX-UTF8: caf".utf8) + [0xC3, 0xA9] + Array("\r\n\r\n".utf8)
        let events = ParserHarness.events(bytes)
        #expect(events == [.request(method: "GET", target: "/", version: "HTTP/1.1",
                                    headers: ["Host: h", "X-Latin: café", "X-UTF8: café"], body: [], trailers: [])])
    }

    @Test func optionsAsteriskAndUnknownMethodToken() {
        #expect(ParserHarness.error("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") == nil)
        let events = ParserHarness.events("PROPFIND /x HTTP/1.1\r\nHost: h\r\n\r\n")
        if case .request(let method, _, _, _, _, _) = events.first { #expect(method == "PROPFIND") }
        else { Issue.record("expected a request, got \(events)") }
    }

    @Test(arguments: ["localhost", "127.0.0.1:8080", "[::1]:8080", "[::1]", "example.co", "", "xn--caf-dma.co:443", "h:"])
    func validHostValues(_ host: String) {
        #expect(ParserHarness.error("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") == nil)
    }

    @Test func leadingEmptyLinesAreIgnored() {
        let events = ParserHarness.events("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(events.count == 1)
        #expect(events.first?.error == nil)
    }

    @Test func phaseFollowsTheRequest() {
        var parser = HTTPRequestParser()
        #expect(parser.phase == .idle)
        Array("POST / HTTP/1.1\r\nHo".utf8).withUnsafeBytes { parser.append($0) }
        _ = parser.next()
        #expect(parser.phase == .head)
        Array("st: h\r\nContent-Length: 3\r\n\r\na".utf8).withUnsafeBytes { parser.append($0) }
        guard case .head = parser.next() else {
            Issue.record("expected a head")
            return
        }
        _ = parser.next()
        #expect(parser.phase == .body)
        Array("bc".utf8).withUnsafeBytes { parser.append($0) }
        guard case .request = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(parser.phase == .idle)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func errorIsSticky() {
        var parser = HTTPRequestParser()
        Array("GET / HTTP/1.1\nHost: h\r\n\r\n".utf8).withUnsafeBytes { parser.append($0) }
        guard case .error(let first) = parser.next() else {
            Issue.record("expected an error")
            return
        }
        Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8).withUnsafeBytes { parser.append($0) }
        guard case .error(let second) = parser.next() else {
            Issue.record("expected the same error")
            return
        }
        #expect(first == second)
        #expect(first.status == .badRequest)
    }

    @Test func largeBodyAcrossManyAppendsAndCompaction() {
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let head = Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        let input = head + body + Array("GET /next HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let cuts = Array(stride(from: 1000, to: input.count, by: 1000))
        let events = ParserHarness.events(input, cuts: cuts)
        #expect(events.count == 3)
        if case .request(_, _, _, _, let got, _) = events[1] { #expect(got == body) }
        else { Issue.record("expected the body, got \(events)") }
        if case .request(_, let target, _, _, _, _) = events[2] { #expect(target == "/next") }
        else { Issue.record("expected the next request") }
    }
}
