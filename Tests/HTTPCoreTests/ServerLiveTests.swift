import Foundation
import HTTPCore
import Testing
import TestSupport

/// A real server on a free loopback port, driven over raw sockets.
@Suite struct ServerLiveTests {
    static func router() -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/echo/{word}") { .text("eco " + ($0.parameters["word"] ?? "")) }
        router.post("/body") { .text("recibido \($0.body.count)") }
        router.get("/boom") { _ in throw CocoaError(.fileNoSuchFile) }
        router.get("/teapot") { _ in throw HTTPError(HTTPStatus(code: 418), message: "<soy una tetera>") }
        router.get("/bad-header") { _ in HTTPResponse(status: .ok, headers: ["X-Bad": "a\r\nSet-Cookie: x=1"], body: []) }
        return router
    }

    @Test func servesAGetWithFramingAddedByTheServer() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ok")
        #expect(response.header("Content-Length") == "2")
        #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        #expect(response.header("Connection") == nil)
    }

    /// RFC 9112 §3.2.2: a server MUST accept absolute-form; the route sees only the path.
    @Test func anAbsoluteFormTargetReachesTheRoute() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET http://localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ok")
        try client.send("GET HTTPS://127.0.0.1:\(live.port)/echo/absoluta?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "eco absoluta")
    }

    /// RFC 9110 §2.5: HTTP/1.2 is served as 1.1, answered `HTTP/1.1` and kept alive.
    @Test func aHigherMinorVersionIsAnsweredAsHTTP11AndKeptAlive() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /echo/uno HTTP/1.2\r\nHost: x\r\n\r\nGET /healthz HTTP/1.9\r\nHost: x\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.version == "HTTP/1.1")
        #expect(first.text == "eco uno")
        #expect(first.header("Connection") == nil)
        let second = try client.readResponse()
        #expect(second.version == "HTTP/1.1")
        #expect(second.text == "ok")
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /echo/uno HTTP/1.1\r\nHost: x\r\n\r\nPOST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhola!GET /echo/tres HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "eco uno")
        #expect(try client.readResponse().text == "recibido 5")
        #expect(try client.readResponse().text == "eco tres")
        #expect(try client.readResponse().text == "ok")
    }

    @Test func aSecondRequestOnAKeptAliveConnectionAnswersWithoutANagleStall() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        var fastest = Double.infinity
        for path in ["/healthz", "/echo/x", "/healthz", "/echo/y", "/healthz", "/echo/z"] {
            let start = DispatchTime.now().uptimeNanoseconds
            try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        // A Nagle/delayed-ACK stall costs 40 ms on Linux; a healthy round trip is well under 2 ms.
        // The fastest of six is used so a busy machine does not make the test flaky.
        #expect(fastest < 5, "fastest keep-alive round trip took \(fastest) ms")
    }

    @Test func headGetsTheHeadersWithoutTheBody() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("HEAD /echo/hola HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "8")
        // Had the body been sent, it would be read as the next status line.
        #expect(try client.readResponse().text == "ok")
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 9000))\r\n\r\n", 431),
        ("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413),
        // RFC 9112 §6.3: a request whose final coding is not chunked has no knowable length.
        ("POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505),
        ("GET ftp://x/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET http://u@x/healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 400),
        // RFC 9112 §7.1: whitespace after a chunk size must lead to a chunk-ext.
        ("POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhola!\r\n0\r\n\r\n", 400),
    ])
    func eachParserRejectionIsAnsweredAndTheConnectionClosed(request: String, status: Int) throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        // Written before any application middleware runs, so the page brings its own policy.
        #expect(response.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(client.waitsForClose())
    }

    @Test func aHandlerThatThrowsGetsA500PageAndTheServerKeepsServing() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.text.contains("Código de la solicitud"))
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "ok")
    }

    @Test func anHTTPErrorChoosesTheStatusAndItsMessageIsEscaped() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 418)
        #expect(response.text.contains("&lt;soy una tetera&gt;"))
        #expect(!response.text.contains("<soy"))
    }

    @Test func aHeaderValueWithCRLFIsNeverWrittenToTheWire() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /bad-header HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        // The writer drops the unsafe field; nothing of it reaches the wire.
        #expect(response.status == 200)
        #expect(response.header("X-Bad") == nil)
        #expect(response.header("Set-Cookie") == nil)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "ok")
    }

    @Test func connectionCloseIsHonoured() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Connection") == "close")
        #expect(client.waitsForClose())
    }

    @Test func http10ClosesByDefaultAndStaysOpenWhenAskedTo() throws {
        let live = try LiveServer(Self.router())
        let kept = try live.connect()
        try kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let first = try kept.readResponse()
        #expect(first.header("Connection") == "keep-alive")
        try kept.send("GET /echo/dos HTTP/1.0\r\n\r\n")
        let second = try kept.readResponse()
        #expect(second.text == "eco dos")
        #expect(second.header("Connection") == "close")
        #expect(kept.waitsForClose())
    }

    @Test(arguments: ["", "GET /healthz HTTP/1.1\r\nHo"])
    func aHalfClosedClientIsAnsweredThenClosedAtOnce(trailing: String) throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect(timeout: 1)
        // Request and FIN arrive together: the end-of-file must not wait for a timeout.
        try client.send("GET /echo/fin HTTP/1.1\r\nHost: x\r\n\r\n" + trailing)
        client.shutdownWrite()
        #expect(try client.readResponse().text == "eco fin")
        #expect(client.waitsForClose())
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBody() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("abcd")
        #expect(try client.readResponse().text == "recibido 4")
    }

    @Test func listensOnIPv6Loopback() throws {
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2)
        configuration.host = "::1"
        let live = try LiveServer(Self.router(), configuration: configuration)
        let client = try live.connect()
        try client.send("GET /echo/v6 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "eco v6")
    }

    @Test func theWildcardAddressServesIPv4AndIPv6Clients() throws {
        var configuration = HTTPServerConfiguration(eventLoopCount: 2, workerCount: 2)
        configuration.host = "::"
        let live = try LiveServer(Self.router(), configuration: configuration)
        for host in ["127.0.0.1", "::1"] {
            let client = try RawHTTPClient(host: host, port: live.port)
            try client.send("GET /echo/\(host == "::1" ? "seis" : "cuatro") HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == (host == "::1" ? "eco seis" : "eco cuatro"))
        }
    }

    @Test func metricsCountResponsesAndOpenConnections() throws {
        let live = try LiveServer(Self.router())
        let client = try live.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nada HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse()
        _ = try client.readResponse()
        // The loop records a response just after its last byte is written, which may be a
        // moment after the client has read it.
        var snapshot = live.server.metrics.snapshot()
        for _ in 0..<200 where snapshot.requestCount < 2 {
            Thread.sleep(forTimeInterval: 0.01)
            snapshot = live.server.metrics.snapshot()
        }
        #expect(snapshot.responsesByStatus[200] == 1)
        #expect(snapshot.responsesByStatus[404] == 1)
        #expect(snapshot.requestCount == 2)
        #expect(snapshot.openConnections == 1)
        client.close()
    }
}
