import Foundation
import HTTPCore
import Testing

@Suite("HTTPResponseWriter")
struct ResponseWriterTests {
    let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func textResponseExactBytes() {
        let head = HTTPResponseWriter.head(for: .text("ok"), keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nDate: \(date)\r\n\r\n")
    }

    /// Lengths and status codes are written digit by digit, without a `String`.
    @Test(arguments: [0, 9, 10, 99, 100, 4097, 1_000_000])
    func contentLengthIsTheBodysLengthInDecimal(count: Int) {
        let response = HTTPResponse(status: HTTPStatus(code: 299, reason: "Raro"), body: [UInt8](repeating: 0x61, count: count))
        let head = HTTPResponseWriter.head(for: response, keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 299 Raro\r\nContent-Length: \(count)\r\nDate: \(date)\r\n\r\n")
    }

    @Test func connectionCloseWhenNotKeptAlive() {
        let response = HTTPResponse(status: .notFound, body: Array("no".utf8))
        let head = HTTPResponseWriter.head(for: response, keepAlive: false, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nDate: \(date)\r\nConnection: close\r\n\r\n")
    }

    @Test func http10KeepAliveIsAnnounced() {
        let head = HTTPResponseWriter.head(for: HTTPResponse(), keepAlive: true, date: date, isHeadRequest: false, requestVersion: .http1_0)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: \(date)\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func noContentLengthWhenTheStatusForbidsABody() {
        for status in [HTTPStatus.noContent, .notModified, .continue] {
            let head = HTTPResponseWriter.head(for: HTTPResponse(status: status), keepAlive: true, date: date, isHeadRequest: false)
            #expect(text(head) == "HTTP/1.1 \(status.code) \(status.reason)\r\nDate: \(date)\r\n\r\n")
        }
    }

    @Test func headKeepsTheGetLength() {
        let body = HTTPResponseWriter.head(for: .text("hello"), keepAlive: true, date: date, isHeadRequest: true)
        #expect(text(body).contains("\r\nContent-Length: 5\r\n"))
        // A HEAD handler that knows the length without building the body.
        let declared = HTTPResponse(status: .ok, headers: ["Content-Length": "1234"])
        let head = HTTPResponseWriter.head(for: declared, keepAlive: true, date: date, isHeadRequest: true)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nDate: \(date)\r\n\r\n")
    }

    @Test func handlerFramingFieldsAreReplaced() {
        let response = HTTPResponse(status: .ok, headers: [
            "Content-Length": "999", "transfer-encoding": "chunked", "Date": "yesterday", "Connection": "upgrade",
            "X-Kept": "yes",
        ], body: Array("abc".utf8))
        let head = HTTPResponseWriter.head(for: response, keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nX-Kept: yes\r\nContent-Length: 3\r\nDate: \(date)\r\n\r\n")
    }

    @Test func responseSplittingAttemptsAreDropped() {
        var headers = HTTPHeaders()
        headers.add("Location", "/x\r\nSet-Cookie: evil=1")
        headers.add("X-LF", "a\nb")
        headers.add("X-NUL", "a\u{0}b")
        headers.add("X-Bad\r\nName", "v")
        headers.add("Bad Name", "v")
        headers.add("", "v")
        headers.add("X-Good", "caf\u{E9}\tok")
        let head = HTTPResponseWriter.head(for: HTTPResponse(status: .seeOther, headers: headers), keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 303 See Other\r\nX-Good: caf\u{E9}\tok\r\nContent-Length: 0\r\nDate: \(date)\r\n\r\n")
    }

    @Test func reasonPhraseCannotInjectLines() {
        let status = HTTPStatus(code: 200, reason: "OK\r\nX-Evil: 1")
        let head = HTTPResponseWriter.head(for: HTTPResponse(status: status), keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head).hasPrefix("HTTP/1.1 200 OKX-Evil: 1\r\nContent-Length: 0\r\n"))
    }

    @Test func setCookieFieldsAreRepeated() {
        var headers = HTTPHeaders()
        headers.add("Set-Cookie", "a=1")
        headers.add("Set-Cookie", "b=2")
        let head = HTTPResponseWriter.head(for: HTTPResponse(headers: headers), keepAlive: true, date: date, isHeadRequest: false)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\nDate: \(date)\r\n\r\n")
    }

    @Test func interimContinue() {
        #expect(text(HTTPResponseWriter.interim100Continue()) == "HTTP/1.1 100 Continue\r\n\r\n")
    }
}

@Suite("HTTPDateCache")
struct ResponseWriterDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"), // RFC 9110 §5.6.7's example
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_709_208_000, "Thu, 29 Feb 2024 12:00:00 GMT"),
        (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 GMT"),
        (1_795_320_000, "Sun, 22 Nov 2026 04:00:00 GMT"),
    ])
    func formatsKnownInstants(_ seconds: Int, _ expected: String) {
        #expect(HTTPDateCache.format(epochSeconds: seconds) == expected)
    }

    @Test func reusesTheValueWithinASecond() {
        var cache = HTTPDateCache()
        #expect(cache.string(forEpochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.string(forEpochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.string(forEpochSeconds: 784_111_778) == "Sun, 06 Nov 1994 08:49:38 GMT")
    }

    @Test func currentLooksLikeAnIMFFixdate() {
        var cache = HTTPDateCache()
        let value = cache.current(at: Date())
        #expect(value.utf8.count == 29)
        #expect(value.hasSuffix(" GMT"))
    }

    @Test func currentReadsTheGivenClockAndRoundsDownToTheSecond() {
        var cache = HTTPDateCache()
        #expect(cache.current(at: Date(timeIntervalSince1970: 784_111_777.9)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(cache.current(at: Date(timeIntervalSince1970: 784_111_778)) == "Sun, 06 Nov 1994 08:49:38 GMT")
    }
}
