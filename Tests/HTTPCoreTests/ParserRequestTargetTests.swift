import HTTPCore
import Testing

/// The request-target forms (RFC 9112 §3.2): what the parser hands on for each. Rejected
/// targets are in `ParserRejectionTests.requestLineCases`.
@Suite("HTTPRequestParser: request-target forms")
struct ParserRequestTargetTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let target: String
        let originForm: String
        let host: String
        var testDescription: String { target }
    }

    /// RFC 9112 §3.2.2: absolute-form is accepted and served by its path and query.
    static let absoluteForms: [Case] = [
        Case(target: "http://clave.example/soi/ingreso?x=1&y=%C3%A9", originForm: "/soi/ingreso?x=1&y=%C3%A9", host: "clave.example"),
        Case(target: "https://clave.example:8443/a/b", originForm: "/a/b", host: "clave.example:8443"),
        Case(target: "HTTP://CLAVE.example/p", originForm: "/p", host: "CLAVE.example"),
        Case(target: "hTtPs://h/", originForm: "/", host: "h"),
        // RFC 9110 §4.2.3: an empty path is "/".
        Case(target: "http://h", originForm: "/", host: "h"),
        Case(target: "http://h?q=1", originForm: "/?q=1", host: "h"),
        Case(target: "http://h:8080", originForm: "/", host: "h:8080"),
        Case(target: "http://[::1]:8080/healthz", originForm: "/healthz", host: "[::1]:8080"),
        Case(target: "http://127.0.0.1/x?", originForm: "/x?", host: "127.0.0.1"),
        // The path is taken as sent: a path that looks like an authority stays a path.
        Case(target: "http://h//otro.example/x", originForm: "//otro.example/x", host: "h"),
        Case(target: "http://h/http://otro/x", originForm: "/http://otro/x", host: "h"),
    ]

    @Test(arguments: absoluteForms)
    func absoluteFormIsServedByItsPathWithTheAuthorityAsHost(_ example: Case) {
        let events = ParserHarness.events("GET \(example.target) HTTP/1.1\r\nHost: ignorado.example\r\n\r\n")
        #expect(events == [
            .request(method: "GET", target: example.originForm, version: "HTTP/1.1",
                     headers: ["Host: \(example.host)"], body: [], trailers: []),
        ])
    }

    /// What handlers read: `path` and `query` never carry the scheme or the authority.
    @Test func pathAndQueryOfAnAbsoluteFormRequest() throws {
        let request = try #require(ParserHarness.request(
            "GET https://clave.example/soi/ingreso?x=1 HTTP/1.1\r\nhost: localhost\r\nAccept: */*\r\n\r\n"))
        #expect(request.target == "/soi/ingreso?x=1")
        #expect(request.path == "/soi/ingreso")
        #expect(request.query == "x=1")
        // The field keeps its place and its name as sent; only its value is the authority.
        #expect(request.headers.map { "\($0.name): \($0.value)" } == ["host: clave.example", "Accept: */*"])
    }

    @Test func theAuthorityReplacesHostOnlyForItsOwnRequest() {
        let events = ParserHarness.events(
            "GET http://a.example/uno HTTP/1.1\r\nHost: b.example\r\n\r\nGET /dos HTTP/1.1\r\nHost: b.example\r\n\r\n")
        #expect(events == [
            .request(method: "GET", target: "/uno", version: "HTTP/1.1", headers: ["Host: a.example"], body: [], trailers: []),
            .request(method: "GET", target: "/dos", version: "HTTP/1.1", headers: ["Host: b.example"], body: [], trailers: []),
        ])
    }

    /// HTTP/1.0 needs no Host (RFC 9112 §3.2 asks it of 1.1); none is invented from the target.
    @Test func http10AbsoluteFormWithoutHostGetsNoHost() {
        let events = ParserHarness.events("GET http://h/x HTTP/1.0\r\nAccept: */*\r\n\r\n")
        #expect(events == [
            .request(method: "GET", target: "/x", version: "HTTP/1.0", headers: ["Accept: */*"], body: [], trailers: []),
        ])
    }

    @Test func absoluteFormWithABody() {
        let events = ParserHarness.events(
            "POST http://h/secop/ingreso HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nusuario=ana")
        #expect(events.last == .request(method: "POST", target: "/secop/ingreso", version: "HTTP/1.1",
                                        headers: ["Host: h", "Content-Length: 11"],
                                        body: Array("usuario=ana".utf8), trailers: []))
    }

    /// Origin-form and `OPTIONS *` are served as before; `OPTIONS http://h` is an OPTIONS for
    /// `/` (only a proxy turns it into `*`, RFC 9112 §3.2.4).
    @Test func originAndAsteriskFormsAreUnchanged() {
        #expect(ParserHarness.events("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") == [
            .request(method: "OPTIONS", target: "*", version: "HTTP/1.1", headers: ["Host: h"], body: [], trailers: []),
        ])
        #expect(ParserHarness.events("OPTIONS http://h HTTP/1.1\r\nHost: h\r\n\r\n") == [
            .request(method: "OPTIONS", target: "/", version: "HTTP/1.1", headers: ["Host: h"], body: [], trailers: []),
        ])
        #expect(ParserHarness.events("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n") == [
            .request(method: "GET", target: "/a?b", version: "HTTP/1.1", headers: ["Host: h"], body: [], trailers: []),
        ])
        #expect(ParserHarness.status("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n") == 400)
        // CONNECT in origin- or absolute-form is malformed, not a request routed by its path.
        #expect(ParserHarness.status("CONNECT /x HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(ParserHarness.status("CONNECT http://h/x HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(ParserHarness.status("GET * HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    /// The authority counts against the request-line limit like any target byte.
    @Test func aLongAbsoluteFormIsAURITooLong() {
        let target = "http://h/" + String(repeating: "a", count: HTTPLimits().maxRequestLineLength)
        #expect(ParserHarness.status("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n") == 414)
    }
}
