#if !FUZZING
import HTTPCore

/// `fuzz-http-request --bench`: single-thread parser throughput, printed as figures (never
/// asserted). Run it from a release build: `scripts/bench.d/http-parser.sh`.
enum ParserBenchmark {
    static let browserGet = Array(("GET /soi/ingreso?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        + "Accept-Language: es-CO,es;q=0.9,en;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\n"
        + "Cookie: sesion=4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99; csrf=Zm9vYmFyYmF6\r\nConnection: keep-alive\r\n\r\n").utf8)
    static let formPost = Array(("POST /secop/ingreso HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 62\r\n\r\n"
        + "csrf=Zm9vYmFyYmF6&usuario=ana.perez&contrasena=Cl%C3%A1ve+123%21").utf8)
    static let chunkedPost = Array(("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n").utf8)

    static func run() {
        measure("browser GET, one per append", input: browserGet, perAppend: 1, iterations: 300_000)
        measure("browser GET, 16 pipelined per append", input: browserGet, perAppend: 16, iterations: 300_000)
        measure("form POST, one per append", input: formPost, perAppend: 1, iterations: 300_000)
        measure("chunked POST, one per append", input: chunkedPost, perAppend: 1, iterations: 300_000)
        byteByByte(headSize: 1024)
        byteByByte(headSize: 16 * 1024)
        formDecoding()
    }

    /// Parses `iterations` requests on one parser (a keep-alive connection), `perAppend`
    /// requests per `append` (as one `read(2)` would return them).
    static func measure(_ name: String, input: [UInt8], perAppend: Int, iterations: Int) {
        let batch = Array([[UInt8]](repeating: input, count: perAppend).joined())
        var parser = HTTPRequestParser()
        var requests = 0
        let clock = ContinuousClock()
        let start = clock.now
        while requests < iterations {
            batch.withUnsafeBytes { parser.append($0) }
            loop: while true {
                switch parser.next() {
                case .needMore: break loop
                case .request: requests += 1
                case .head: continue
                case .error(let error): print("unexpected error \(error)"); return
                }
            }
        }
        let seconds = seconds(clock.now - start)
        let megabytes = Double(requests * input.count) / 1_000_000
        print("\(name): \(Int(Double(requests) / seconds)) req/s, \(format2(megabytes / seconds)) MB/s (\(input.count) bytes each)")
    }

    /// A head fed one byte at a time: time per byte must not grow with the head (no
    /// quadratic rescans).
    static func byteByByte(headSize: Int) {
        let field = "X-Padding: " + String(repeating: "p", count: 80) + "\r\n"
        let count = max(1, (headSize - 40) / field.utf8.count)
        let head = Array(("GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: field, count: count) + "\r\n").utf8)
        let rounds = max(1, 2_000_000 / head.count)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            var parser = HTTPRequestParser(limits: HTTPLimits(maxHeaderCount: 1000, maxHeadLength: 64 * 1024))
            for byte in head {
                [byte].withUnsafeBytes { parser.append($0) }
                _ = parser.next()
            }
        }
        let elapsed = seconds(clock.now - start)
        let nanosPerByte = elapsed * 1e9 / Double(rounds * head.count)
        print("byte by byte, \(head.count)-byte head: \(format2(nanosPerByte)) ns/byte")
    }

    static func formDecoding() {
        let body = Array("csrf=Zm9vYmFyYmF6&usuario=ana.perez&contrasena=Cl%C3%A1ve+123%21".utf8)
        let iterations = 300_000
        var fields = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            fields += (try? FormData(urlEncoded: body))?.pairs.count ?? 0
        }
        let elapsed = seconds(clock.now - start)
        print("form decoding (3 fields): \(Int(Double(iterations) / elapsed)) forms/s (\(fields / iterations) fields each)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
#endif
