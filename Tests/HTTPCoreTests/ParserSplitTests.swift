import HTTPCore
import Testing

/// Every valid input gives the same events whether it arrives whole, in two pieces at any
/// byte offset, or one byte at a time.
@Suite("HTTPRequestParser: every split point")
struct ParserSplitTests {
    static let inputs: [String] = [
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /soi/ingreso?x=1&y=%C3%A9 HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/html\r\nCookie: a=b\r\n\r\n",
        "POST /secop/ingreso HTTP/1.1\r\nHost: h\r\nContent-Length: 22\r\n\r\nusuario=ana&contrasena",
        "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d;e\"\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Latin: caf\u{E9}\r\nX-Tab:\tv\t\r\n\r\n",
        "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET http://clave.example:8080/soi/ingreso?x=1 HTTP/1.1\r\nHost: otro\r\n\r\nGET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /up HTTP/1.2\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a = \"b\" ; c\r\nhello\r\n0\r\n\r\n",
    ]

    @Test(arguments: inputs)
    func sameEventsAtEverySplit(_ text: String) {
        let input = Array(text.utf8)
        let whole = ParserHarness.events(input, keepContinue: false)
        #expect(!whole.isEmpty)
        #expect(whole.allSatisfy { $0.error == nil }, "\(whole)")
        for cuts in ParserHarness.splits(of: input.count) {
            let split = ParserHarness.events(input, cuts: cuts, keepContinue: false)
            #expect(split == whole, "cut at \(cuts.prefix(3))")
        }
    }

    @Test func obsTextLatin1BytesAtEverySplit() {
        let input: [UInt8] = Array("GET / HTTP/1.1\r\nHost: h\r\nX: a".utf8) + [0xE9, 0xFF, 0x80] + Array("\r\n\r\n".utf8)
        let whole = ParserHarness.events(input)
        #expect(whole.count == 1 && whole[0].error == nil)
        for cuts in ParserHarness.splits(of: input.count) {
            #expect(ParserHarness.events(input, cuts: cuts) == whole)
        }
    }
}
