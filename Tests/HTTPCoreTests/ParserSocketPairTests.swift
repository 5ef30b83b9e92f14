#if canImport(Glibc)
import Glibc
#endif
import HTTPCore
import Testing

/// Component layer: the parser fed by `read(2)` on a real socket pair, with reads of varying
/// sizes, as a connection would feed it.
@Suite("HTTPRequestParser over a socket pair")
struct ParserSocketPairTests {
    /// Writes `input` into one end, closes it, and parses what reads of `readSizes` (cycled)
    /// return from the other end.
    func parseThroughSocket(_ input: [UInt8], readSizes: [Int]) throws -> [ParsedEvent] {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[1]) }
        var written = 0
        while written < input.count {
            let n = input[written...].withUnsafeBytes { write(fds[0], $0.baseAddress, $0.count) }
            try #require(n > 0)
            written += n
        }
        close(fds[0])

        var parser = HTTPRequestParser()
        var events: [ParsedEvent] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var round = 0
        while true {
            let size = readSizes[round % readSizes.count]
            round += 1
            let n = buffer.withUnsafeMutableBytes { read(fds[1], $0.baseAddress, size) }
            try #require(n >= 0)
            if n == 0 { break }
            buffer.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while let event = ParsedEvent(parser.next(), keepContinue: false) {
                events.append(event)
                if event.error != nil { return events }
            }
        }
        #expect(parser.phase == .idle)
        return events
    }

    @Test func pipelinedRequestsThroughVaryingReads() throws {
        let text = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nusuario=ana"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
            + "GET /d HTTP/1.0\r\n\r\n"
        let input = Array(text.utf8)
        let expected = ParserHarness.events(input, keepContinue: false)
        #expect(expected.count == 6)
        for sizes in [[1], [2, 3], [7, 1, 13], [4096], [5, 64, 1, 300]] {
            #expect(try parseThroughSocket(input, readSizes: sizes) == expected, "reads of \(sizes)")
        }
    }

    @Test func rejectionThroughTheSocketStopsReadingAtTheError() throws {
        let input = Array("GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let events = try parseThroughSocket(input, readSizes: [3])
        #expect(events == [.error(.badRequest("malformed field name"))])
    }
}
