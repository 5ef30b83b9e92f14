import HTTPCore
import Testing

@Suite("HTTPRequestParser: limits")
struct ParserLimitTests {
    let small = HTTPLimits(maxRequestLineLength: 40, maxHeaderFieldLength: 30, maxHeaderCount: 3,
                           maxHeadLength: 120, maxBodyLength: 10, maxChunkLineLength: 16)

    @Test func requestLineAtAndOverTheLimit() {
        let atLimit = "GET /" + String(repeating: "a", count: 40 - 14) + " HTTP/1.1"
        #expect(atLimit.utf8.count == 40)
        #expect(ParserHarness.error(atLimit + "\r\nHost: h\r\n\r\n", limits: small) == nil)
        let over = "GET /" + String(repeating: "a", count: 41 - 14) + " HTTP/1.1"
        #expect(ParserHarness.status(over + "\r\nHost: h\r\n\r\n", limits: small) == 414)
    }

    @Test func longRequestLineIsRejectedBeforeItsCRLF() {
        // Without a CRLF in sight, the parser must not wait (and buffer) forever.
        var parser = HTTPRequestParser(limits: small)
        let bytes = Array(("GET /" + String(repeating: "a", count: 100)).utf8)
        bytes.withUnsafeBytes { parser.append($0) }
        guard case .error(let error) = parser.next() else {
            Issue.record("expected 414 before the line ends")
            return
        }
        #expect(error == .uriTooLong)
        #expect(error.status.code == 414)
    }

    @Test func requestLineOneByteAtATimeStopsAtTheLimit() {
        var parser = HTTPRequestParser(limits: small)
        var fed = 0
        let bytes = Array(("GET /" + String(repeating: "a", count: 1000)).utf8)
        loop: for byte in bytes {
            [byte].withUnsafeBytes { parser.append($0) }
            fed += 1
            switch parser.next() {
            case .needMore: continue
            case .error(let error):
                #expect(error == .uriTooLong)
                break loop
            default:
                Issue.record("unexpected event")
                break loop
            }
        }
        #expect(fed == 41)
    }

    @Test func fieldOverItsLimit() {
        let field = "X: " + String(repeating: "v", count: 28)
        #expect(ParserHarness.status("GET / HTTP/1.1\r\nHost: h\r\n\(field)\r\n\r\n", limits: small) == 431)
        let fits = "X: " + String(repeating: "v", count: 27)
        #expect(ParserHarness.error("GET / HTTP/1.1\r\nHost: h\r\n\(fits)\r\n\r\n", limits: small) == nil)
    }

    @Test func longFieldIsRejectedBeforeItsCRLF() {
        #expect(ParserHarness.status("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 500), limits: small) == 431)
    }

    @Test func tooManyFields() {
        let three = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"
        #expect(ParserHarness.error(three, limits: small) == nil)
        let four = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        #expect(ParserHarness.status(four, limits: small) == 431)
    }

    @Test func wholeHeadOverItsLimit() {
        let limits = HTTPLimits(maxHeaderCount: 100, maxHeadLength: 100)
        let fields = (0..<10).map { "X\($0): 1234567\r\n" }.joined()
        #expect(ParserHarness.status("GET / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n", limits: limits) == 431)
        // Incomplete but already over: rejected without waiting for the end of the head.
        #expect(ParserHarness.status("GET / HTTP/1.1\r\nHost: h\r\n" + fields, limits: limits) == 431)
    }

    @Test func trailersCountAgainstFieldLimits() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        // Two head fields and one trailer make three: the limit.
        #expect(ParserHarness.error(head + "1\r\na\r\n0\r\nT1: 1\r\n\r\n", limits: small) == nil)
        #expect(ParserHarness.status(head + "1\r\na\r\n0\r\nT1: 1\r\nT2: 2\r\n\r\n", limits: small) == 431)
        #expect(ParserHarness.status(head + "0\r\nT: " + String(repeating: "x", count: 40) + "\r\n\r\n", limits: small) == 431)
    }

    @Test func bodyLimits() {
        #expect(ParserHarness.error("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: small) == nil)
        #expect(ParserHarness.status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: small) == 413)
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(ParserHarness.error(chunked + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", limits: small) == nil)
        #expect(ParserHarness.status(chunked + "5\r\n01234\r\n6\r\n", limits: small) == 413)
    }

    @Test func contentTooLargeComesBeforeTheBody() {
        // 413 as soon as the head is read: no .head event for a body we refuse.
        let events = ParserHarness.events("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: small)
        #expect(events == [.error(.contentTooLarge)])
    }

    @Test func chunkLineLimit() {
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(ParserHarness.error(chunked + "1;abcdefghijklmn\r\na\r\n0\r\n\r\n", limits: small) == nil)
        #expect(ParserHarness.status(chunked + "1;abcdefghijklmno\r\na\r\n0\r\n\r\n", limits: small) == 400)
        #expect(ParserHarness.status(chunked + "1;" + String(repeating: "a", count: 100), limits: small) == 400)
    }
}
