import HTTPCore
import Testing

/// Every rejection the parser makes, with the status the connection answers.
@Suite("HTTPRequestParser: rejections")
struct ParserRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let status: Int
        var testDescription: String { name }
    }

    static let requestLineCases: [Case] = [
        Case(name: "bare LF after request line", input: "GET / HTTP/1.1\nHost: h\r\n\r\n", status: 400),
        Case(name: "bare LF after a field", input: "GET / HTTP/1.1\r\nHost: h\n\r\n", status: 400),
        Case(name: "bare LF ending the head", input: "GET / HTTP/1.1\r\nHost: h\r\n\n", status: 400),
        Case(name: "bare CR inside request line", input: "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "two spaces", input: "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "tab separator", input: "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "method not a token", input: "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "empty method", input: " / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "missing version", input: "GET /\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "missing target", input: "GET HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "trailing space", input: "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", status: 400),
        Case(name: "lower-case version", input: "GET / http/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "garbage version", input: "GET / HTTP/1.x\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "long version", input: "GET / HTTP/1.10\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", status: 505),
        // HTTP/1.2 is served as 1.1 now (RFC 9110 §2.5): see ParserValidRequestTests.
        Case(name: "HTTP/3.0", input: "GET / HTTP/3.0\r\nHost: h\r\n\r\n", status: 505),
        Case(name: "HTTP/0.9", input: "GET / HTTP/0.9\r\nHost: h\r\n\r\n", status: 505),
        Case(name: "control byte in target", input: "GET /a\u{01}b HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "DEL in target", input: "GET /a\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "raw UTF-8 in target", input: "GET /é HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        // Absolute-form with http(s) is accepted now (RFC 9112 §3.2.2): see ParserRequestTargetTests.
        Case(name: "absolute form, ftp scheme", input: "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, scheme without //", input: "GET http:/x HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, empty authority", input: "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, nothing after scheme", input: "GET https:// HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, port without host", input: "GET http://:80/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, userinfo", input: "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, userinfo with password", input: "GET http://u:p@h/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, bad port", input: "GET http://h:8x/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, unclosed IPv6", input: "GET http://[::1/ HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form, fragment for a path", input: "GET http://h#f HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form without Host", input: "GET http://h/ HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400),
        Case(name: "absolute form with two Host", input: "GET http://h/ HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "absolute form with an invalid Host", input: "GET http://h/ HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400),
        Case(name: "relative path", input: "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "authority form", input: "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "asterisk with GET", input: "GET * HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "too many empty lines first", input: "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "bare LF empty line first", input: "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
        Case(name: "NUL in request line", input: "GET /\u{0} HTTP/1.1\r\nHost: h\r\n\r\n", status: 400),
    ]

    static let fieldCases: [Case] = [
        Case(name: "space before colon", input: "GET / HTTP/1.1\r\nHost : h\r\n\r\n", status: 400),
        Case(name: "tab before colon", input: "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", status: 400),
        Case(name: "no colon", input: "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", status: 400),
        Case(name: "empty name", input: "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", status: 400),
        Case(name: "name not a token", input: "GET / HTTP/1.1\r\nHost: h\r\nX(y): v\r\n\r\n", status: 400),
        Case(name: "obs-fold with space", input: "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n", status: 400),
        Case(name: "obs-fold with tab", input: "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\t2\r\n\r\n", status: 400),
        Case(name: "space-led first field", input: "GET / HTTP/1.1\r\n Host: h\r\n\r\n", status: 400),
        Case(name: "NUL in value", input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", status: 400),
        Case(name: "CR in value", input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", status: 400),
        Case(name: "control in value", input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{1B}b\r\n\r\n", status: 400),
        Case(name: "DEL in value", input: "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{7F}\r\n\r\n", status: 400),
        Case(name: "missing Host in 1.1", input: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400),
        Case(name: "two Host fields", input: "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", status: 400),
        Case(name: "Host with space", input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400),
        Case(name: "Host with path", input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400),
        Case(name: "Host with userinfo", input: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", status: 400),
        Case(name: "Host with bad port", input: "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", status: 400),
        Case(name: "Host with unclosed IPv6", input: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400),
        Case(name: "two Host in 1.0", input: "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", status: 400),
    ]

    static let framingCases: [Case] = [
        Case(name: "Content-Length not digits", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1a\r\n\r\n", status: 400),
        Case(name: "Content-Length signed", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", status: 400),
        Case(name: "Content-Length negative", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", status: 400),
        Case(name: "Content-Length empty", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", status: 400),
        Case(name: "Content-Length empty list element", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1,\r\n\r\n", status: 400),
        Case(name: "Content-Length hex", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", status: 400),
        Case(name: "Content-Length repeated differing", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", status: 400),
        Case(name: "Content-Length list differing", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n", status: 400),
        Case(name: "Content-Length overflow", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", status: 413),
        Case(name: "Content-Length over limit", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n", status: 413),
        Case(name: "TE and CL", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        Case(name: "CL after TE", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", status: 400),
        Case(name: "empty TE with CL", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\nContent-Length: 3\r\n\r\nabc", status: 400),
        Case(name: "empty TE", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n\r\n", status: 400),
        Case(name: "TE in HTTP/1.0", input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "chunked not final", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400),
        Case(name: "gzip alone", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400),
        Case(name: "chunked twice", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        Case(name: "chunked with parameter", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", status: 400),
        Case(name: "gzip then chunked", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
        Case(name: "gzip then chunked, two fields", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", status: 501),
    ]

    static let chunkCases: [Case] = {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        return [
            Case(name: "empty chunk size", input: head + "\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "non-hex chunk size", input: head + "g\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "negative chunk size", input: head + "-1\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "space before chunk size", input: head + " 3\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "chunk size overflow", input: head + "fffffffffffffffffff\r\n", status: 413),
            Case(name: "chunk over body limit", input: head + "100001\r\n", status: 413),
            Case(name: "chunks summing over body limit", input: head + "80000\r\n" + String(repeating: "a", count: 0x80000) + "\r\n80001\r\n", status: 413),
            Case(name: "missing CRLF after data", input: head + "3\r\nabcd\r\n0\r\n\r\n", status: 400),
            Case(name: "CR without LF after data", input: head + "3\r\nabc\rX0\r\n\r\n", status: 400),
            Case(name: "bare LF after chunk size", input: head + "3\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension without semicolon", input: head + "3 x\r\nabc\r\n0\r\n\r\n", status: 400),
            // RFC 9112 §7.1: whitespace after the size is BWS of a chunk-ext, so a `;` must follow.
            Case(name: "space after chunk size", input: head + "3 \r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "tab after chunk size", input: head + "3\t\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "space after last chunk size", input: head + "0 \r\n\r\n", status: 400),
            Case(name: "space after extension name", input: head + "3;a \r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "space after extension value", input: head + "3;a=b \r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "tab after quoted value", input: head + "3;a=\"b\"\t\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "space between extensions, no semicolon", input: head + "3;a b\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension without name", input: head + "3;\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension with empty value", input: head + "3;a=\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension unterminated quote", input: head + "3;a=\"x\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension with control", input: head + "3;a\u{1}\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "extension too long", input: head + "3;a=" + String(repeating: "b", count: 2000) + "\r\nabc\r\n0\r\n\r\n", status: 400),
            Case(name: "trailer obs-fold", input: head + "0\r\nX: 1\r\n 2\r\n\r\n", status: 400),
            Case(name: "trailer with space before colon", input: head + "0\r\nX : 1\r\n\r\n", status: 400),
            Case(name: "trailer with NUL", input: head + "0\r\nX: \u{0}\r\n\r\n", status: 400),
            Case(name: "trailer bare LF", input: head + "0\r\nX: 1\n\r\n", status: 400),
        ]
    }()

    @Test(arguments: requestLineCases + fieldCases + framingCases + chunkCases)
    func rejected(_ example: Case) {
        #expect(ParserHarness.status(example.input) == example.status, "\(example.name)")
    }

    @Test func errorReasonsCarryNoPeerBytes() {
        let error = ParserHarness.error("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: <script>x</script>, chunked\r\n\r\n")
        #expect(error == .notImplemented("unsupported transfer coding"))
    }

    /// The same rejection whatever way the bytes arrive (every split point, byte by byte).
    @Test(arguments: requestLineCases + fieldCases + framingCases + chunkCases.filter { $0.input.utf8.count < 2000 })
    func rejectedWhateverTheSplit(_ example: Case) {
        let input = Array(example.input.utf8)
        let whole = ParserHarness.events(input)
        for cuts in ParserHarness.splits(of: input.count) {
            let split = ParserHarness.events(input, cuts: cuts, keepContinue: false)
            #expect(split == whole, "\(example.name) cut at \(cuts.prefix(3))")
        }
    }
}
