import ClaveCrypto
import ClaveHTTPS
import Foundation
import HTTPCore
import Testing
import TestSupport

/// HTTPS served by the event loops themselves, to real TLS clients over loopback: Python's
/// `ssl`, `curl` and `openssl s_client`, with certificates from a test CA made for the run.
@Suite struct HTTPSLiveTests {
    static let authority = Result { try TestCertificateAuthority() }
    static let big = [UInt8]((0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })

    static func router() -> Router {
        var router = Router()
        router.get("/", inline: true) { _ in .text("hola") }
        router.get("/big") { _ in HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: HTTPSLiveTests.big) }
        router.post("/body") { .text("recibido \($0.body.count)") }
        return router
    }

    /// A server on a free port with a fresh certificate; returns the server and its context.
    static func serve(headerRead: Duration = .seconds(10), handshake: Duration = .seconds(5),
                      name: String = "server") throws -> (LiveServer, TLSServerContext, TestCertificateAuthority.Issued) {
        let issued = try authority.get().issue(name: name + "-" + UUID().uuidString.prefix(8))
        let context = try TLSServerContext(files: TLSCertificateFiles(certificateChain: issued.chainPath, privateKey: issued.keyPath))
        var configuration = HTTPServerConfiguration(eventLoopCount: 2, workerCount: 4)
        configuration.timeouts.headerRead = headerRead
        configuration.timeouts.handshake = handshake
        configuration.security = TLSConnectionSecurity(context: context)
        return (try LiveServer(router(), configuration: configuration), context, issued)
    }

    static var ca: String { (try? authority.get().certificatePath) ?? "" }

    @Test("Python's ssl keeps one TLS 1.3 connection alive for five requests, ALPN http/1.1")
    func pythonKeepAlive() throws {
        let (live, _, _) = try Self.serve()
        let answer = try TLSTools.python(["keepalive", String(live.port), Self.ca, "5"])
        #expect(answer["version"] as? String == "TLSv1.3")
        #expect(answer["alpn"] as? String == "http/1.1")
        #expect(answer["statuses"] as? [Int] == [200, 200, 200, 200, 200])
        #expect(answer["bodies"] as? [String] == Array(repeating: "hola", count: 5))
    }

    @Test("a TLS 1.2 client gets an ECDHE AEAD suite and keep-alive")
    func pythonTLS12() throws {
        let (live, _, _) = try Self.serve()
        let answer = try TLSTools.python(["keepalive", String(live.port), Self.ca, "3", "--tls12"])
        #expect(answer["version"] as? String == "TLSv1.2")
        let cipher = answer["cipher"] as? String ?? ""
        #expect(cipher.hasPrefix("ECDHE-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")), "\(cipher)")
        #expect(answer["statuses"] as? [Int] == [200, 200, 200])
    }

    @Test("curl verifies the chain, negotiates http/1.1 and reads a 1 MB body intact")
    func curlBigBody() throws {
        let (live, _, _) = try Self.serve()
        let folder = try TemporaryDirectory(prefix: "clave-https-curl")
        let url = "https://localhost:\(live.port)"
        let small = try TLSTools.curl(["--cacert", Self.ca, "-w", "\n%{http_version} %{ssl_verify_result}", url + "/"])
        #expect(small.status == 0, "\(small.standardError)")
        #expect(small.standardOutput == "hola\n1.1 0")
        let file = folder.path("big")
        let big = try TLSTools.curl(["--cacert", Self.ca, "-o", file, url + "/big"])
        #expect(big.status == 0, "\(big.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(Self.big))
        let post = try TLSTools.curl(["--cacert", Self.ca, "--data-binary", "@" + file, url + "/body"])
        #expect(post.standardOutput == "recibido 1000000")
    }

    @Test("curl refuses a server whose certificate another CA issued")
    func curlWithoutTheCA() throws {
        let (live, _, _) = try Self.serve()
        let result = try TLSTools.curl(["https://localhost:\(live.port)/"])
        #expect(result.status == 60, "\(result.standardError)")
    }

    @Test("TLS 1.0 and 1.1 are refused and counted in clave_tls_handshake_failures_total", arguments: ["-tls1", "-tls1_1"])
    func oldProtocolsRefused(flag: String) throws {
        let (live, _, _) = try Self.serve()
        let result = try TLSTools.sClient(port: live.port, [flag, "-cipher", "DEFAULT@SECLEVEL=0"])
        #expect(result.status != 0)
        #expect(result.standardOutput.contains("Cipher is (NONE)"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("no peer certificate available"))
        let curl = try TLSTools.curl(["--cacert", Self.ca, "--tlsv1.1", "--tls-max", "1.1", "https://localhost:\(live.port)/"])
        #expect(curl.status == 35, "\(curl.standardError)")
        try waitUntil { live.server.metrics.snapshot().tlsHandshakeFailures >= 2 }
        #expect(live.server.metrics.render().contains("clave_tls_handshake_failures_total "))
    }

    @Test("a returning client resumes its session (Python's ssl; openssl s_client with TLS 1.2)")
    func resumption() throws {
        let (live, _, _) = try Self.serve()
        let answer = try TLSTools.python(["resume", String(live.port), Self.ca])
        #expect(answer["reused"] as? Bool == true)
        #expect(answer["status"] as? Int == 200)
        let folder = try TemporaryDirectory(prefix: "clave-https-session")
        let session = folder.path("session.pem")
        let first = try TLSTools.sClient(port: live.port, ["-tls1_2", "-CAfile", Self.ca, "-sess_out", session])
        #expect(first.standardOutput.contains("New, TLSv1.2"), "\(first.standardOutput)")
        let second = try TLSTools.sClient(port: live.port, ["-tls1_2", "-CAfile", Self.ca, "-sess_in", session])
        #expect(second.standardOutput.contains("Reused, TLSv1.2"), "\(second.standardOutput)")
    }

    @Test("a TLS 1.2 client asking to renegotiate is refused and the connection does not carry on")
    func renegotiationRefused() throws {
        let (live, _, _) = try Self.serve()
        let result = try TLSTools.sClient(port: live.port, ["-tls1_2", "-CAfile", Self.ca],
                                          input: "R\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let output = result.standardOutput + result.standardError
        #expect(output.contains("RENEGOTIATING"))
        #expect(output.contains("no renegotiation"), "\(output)")  // the server's no_renegotiation alert
        #expect(!result.standardOutput.contains("HTTP/1.1 200"), "\(result.standardOutput)")
    }

    @Test("a client that opens a TLS connection and sends nothing, or half a hello, is closed at the handshake timeout",
          arguments: [0, 20])
    func silentHandshakeClosed(bytes: Int) throws {
        let (live, _, _) = try Self.serve(headerRead: .seconds(10), handshake: .milliseconds(500))
        let answer = try TLSTools.python(["silent", String(live.port), String(bytes)])
        #expect(answer["closed"] as? Bool == true)
        let seconds = answer["seconds"] as? Double ?? 99
        #expect(seconds >= 0.4 && seconds < 5, "closed after \(seconds) s, not at the 10 s header timeout")
        try waitUntil { live.server.metrics.snapshot().openConnections == 0 }
        #expect(live.server.metrics.snapshot().tlsHandshakeFailures == 1)
    }

    /// The header timer starts when the handshake ends: a client that finished it is not held
    /// to the (shorter) handshake deadline while it prepares its request.
    @Test("a client that finished the handshake and sends nothing is closed at the header timeout")
    func idleAfterTheHandshakeClosedAtTheHeaderTimeout() throws {
        let (live, _, _) = try Self.serve(headerRead: .milliseconds(1500), handshake: .milliseconds(300))
        let answer = try TLSTools.python(["idle", String(live.port), Self.ca])
        #expect(answer["closed"] as? Bool == true)
        let seconds = answer["seconds"] as? Double ?? 99
        #expect(seconds >= 1.3 && seconds < 6, "closed after \(seconds) s")
        try waitUntil { live.server.metrics.snapshot().openConnections == 0 }
        #expect(live.server.metrics.snapshot().tlsHandshakeFailures == 0)
    }

    @Test("plain HTTP sent to the HTTPS port is refused as a failed handshake, no crash, no answer")
    func plainHTTPToTheTLSPort() throws {
        let (live, _, _) = try Self.serve()
        let client = try live.connect()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(throws: (any Error).self) { _ = try client.readResponse() }
        try waitUntil { live.server.metrics.snapshot().tlsHandshakeFailures >= 1 }
        let after = try TLSTools.python(["keepalive", String(live.port), Self.ca, "1"])
        #expect(after["statuses"] as? [Int] == [200])
    }

    @Test("a reload under traffic: open connections finish on the old certificate, new ones get the new one, no error")
    func reloadUnderTraffic() throws {
        let issued = try Self.authority.get().issue(name: "before-" + UUID().uuidString.prefix(8))
        let folder = try TemporaryDirectory(prefix: "clave-https-reload")
        let chain = folder.path("chain.pem"), key = folder.path("key.pem")
        try FileManager.default.copyItem(atPath: issued.chainPath, toPath: chain)
        try FileManager.default.copyItem(atPath: issued.keyPath, toPath: key)
        let reloadable = try TLSServerContext(files: TLSCertificateFiles(certificateChain: chain, privateKey: key))
        var configuration = HTTPServerConfiguration(eventLoopCount: 2, workerCount: 4)
        configuration.security = TLSConnectionSecurity(context: reloadable)
        let server = try LiveServer(Self.router(), configuration: configuration)

        // The client writes each finished connection's serial and stops when told, so the reload
        // lands mid-traffic however long a loaded machine takes to start Python or openssl.
        let renewed = try Self.authority.get().issue(name: "renewed-" + UUID().uuidString.prefix(8))
        let signals = try TemporaryDirectory(prefix: "clave-https-hammer")
        let hammer = Locked<[String: Any]?>(nil)
        let thread = Thread {
            let answer = try? TLSTools.python(["hammer", String(server.port), Self.ca, "90", signals.url.path], timeout: 120)
            hammer.withLock { $0 = answer ?? ["errors": ["tls_client.py hammer failed"]] }
        }
        thread.start()
        let seen = { ((try? String(contentsOfFile: signals.path("serials"), encoding: .utf8)) ?? "").split(separator: "\n") }
        try waitUntil(seconds: 60) { seen().count >= 3 }
        try "broken".write(toFile: chain, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try reloadable.reload() }  // a bad file keeps the old one
        try FileManager.default.removeItem(atPath: chain)
        try FileManager.default.copyItem(atPath: renewed.chainPath, toPath: chain)
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: renewed.keyPath, toPath: key)
        try reloadable.reload()
        // Traffic goes on until the new certificate has served connections of its own.
        try waitUntil(seconds: 60) { Set(seen()).count == 2 && seen().count > 4 }
        _ = FileManager.default.createFile(atPath: signals.path("stop"), contents: nil)
        try waitUntil(seconds: 60) { hammer.withLock { $0 != nil } }
        let result = try #require(hammer.withLock { $0 })
        let connections = result["connections"] as? [[String: Any]] ?? []
        #expect((result["errors"] as? [String] ?? ["missing"]).isEmpty, "\(result["errors"] ?? "")")
        let serials = Set(connections.compactMap { $0["serial"] as? String })
        #expect(serials.count == 2, "serials seen: \(serials)")
        #expect(connections.allSatisfy { $0["served"] as? Int == 20 })
        #expect(connections.count > 4)
    }

    private func waitUntil(seconds: Double = 10, _ condition: () -> Bool) throws {
        let end = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < end else { throw PeerError("condition not met within \(seconds) s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
