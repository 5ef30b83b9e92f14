import Foundation
import Testing
import TestSupport

/// `clave serve --tls-cert --tls-key` as an operator runs it: HTTPS from the process itself,
/// SIGHUP reloads, the 308 listener, the start-up refusals and `clave check`'s tls line.
@Suite struct ServeHTTPSTests {
    static let authority = Result { try TestCertificateAuthority() }

    /// A served `clave serve` over HTTPS whose certificate files live at fixed paths in
    /// `folder`, so a test can replace them and send SIGHUP.
    final class Deployment: @unchecked Sendable {
        let folder: TemporaryDirectory
        let chain: String
        let key: String

        init() throws {
            folder = try TemporaryDirectory(prefix: "clave-serve-https")
            chain = folder.path("chain.pem")
            key = folder.path("key.pem")
            try install(try ServeHTTPSTests.authority.get().issue(name: "first-" + UUID().uuidString.prefix(8)))
        }

        func install(_ issued: TestCertificateAuthority.Issued) throws {
            try? FileManager.default.removeItem(atPath: chain)
            try? FileManager.default.removeItem(atPath: key)
            try FileManager.default.copyItem(atPath: issued.chainPath, toPath: chain)
            try FileManager.default.copyItem(atPath: issued.keyPath, toPath: key)
        }

        func serve(_ extra: [String] = [], until marker: String = "\n") throws -> ServeProcess {
            try ServeProcess(["--port", "0", "--db", folder.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                              "--tls-cert", chain, "--tls-key", key] + extra, until: marker,
                             environment: ["CLAVE_LOG_LEVEL": "info", "CLAVE_ACCESS_LOG": "off"])
        }
    }

    static var ca: String { (try? authority.get().certificatePath) ?? "" }

    @Test("serve prints an https URL and serves the portals over TLS to curl and Python's ssl")
    func servesHTTPS() throws {
        let deployment = try Deployment()
        let serve = try deployment.serve(until: "vence en")
        defer { serve.stop() }
        #expect(serve.banner.hasPrefix("Clave escuchando en https://127.0.0.1:"))
        let page = try TLSTools.curl(["--cacert", Self.ca, "-w", "\n%{http_code}", "https://localhost:\(serve.port)/soi/ingreso"])
        #expect(page.status == 0, "\(page.standardError)")
        #expect(page.standardOutput.hasSuffix("\n200"))
        let answer = try TLSTools.python(["keepalive", String(serve.port), Self.ca, "3"])
        #expect((answer["statuses"] as? [Int])?.count == 3)
        #expect(answer["alpn"] as? String == "http/1.1")
        #expect(serve.stop() == 0)
    }

    @Test("SIGHUP with a broken certificate keeps the old one and logs why; with a new one, new connections get it")
    func reloadOnSIGHUP() throws {
        let deployment = try Deployment()
        let serve = try deployment.serve(until: "vence en")
        defer { serve.stop() }
        let before = try TLSTools.python(["hammer", String(serve.port), Self.ca, "0.2"])
        let firstSerial = try #require(((before["connections"] as? [[String: Any]])?.first?["serial"]) as? String)

        try "not a certificate".write(toFile: deployment.chain, atomically: true, encoding: .utf8)
        serve.child.send(SIGHUP)
        #expect(serve.child.waitForError(containing: "TLS certificate not reloaded", timeout: 10))
        let still = try TLSTools.python(["hammer", String(serve.port), Self.ca, "0.2"])
        #expect(((still["connections"] as? [[String: Any]])?.first?["serial"]) as? String == firstSerial)

        try deployment.install(try Self.authority.get().issue(name: "second-" + UUID().uuidString.prefix(8)))
        serve.child.send(SIGHUP)
        #expect(serve.child.waitForError(containing: "TLS certificate reloaded", timeout: 10))
        let after = try TLSTools.python(["hammer", String(serve.port), Self.ca, "0.2"])
        let secondSerial = ((after["connections"] as? [[String: Any]])?.first?["serial"]) as? String
        #expect(secondSerial != nil && secondSerial != firstSerial)
        #expect(serve.child.isRunning)
        #expect(serve.stop() == 0)
    }

    @Test("--redirect-http answers every request, GET or POST, with a 308 to the same path and query over https")
    func redirectListener() throws {
        let deployment = try Deployment()
        let serve = try deployment.serve(["--redirect-http", "0"], until: "Redirección HTTP: ")
        defer { serve.stop() }
        _ = serve.child.waitForOutput(containing: " → 308", timeout: 10)
        let line = try #require(serve.child.standardOutput.split(separator: "\n").first { $0.hasPrefix("Redirección HTTP: ") })
        let port = try #require(line.split(separator: " ")[2].split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let client = try RawHTTPClient(port: port)
        try client.send("GET /soi/ingreso?x=1&y=%C3%B1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let get = try client.readResponse()
        #expect(get.status == 308)
        #expect(get.header("Location") == "https://127.0.0.1:\(serve.port)/soi/ingreso?x=1&y=%C3%B1")
        try client.send("POST /secop/recuperar HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\na=b")
        let post = try client.readResponse()
        #expect(post.status == 308)
        #expect(post.header("Location") == "https://127.0.0.1:\(serve.port)/secop/recuperar")
        let followed = try TLSTools.curl(["--cacert", Self.ca, "-L", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}",
                                          "http://127.0.0.1:\(port)/soi/ingreso"])
        #expect(followed.standardOutput == "200 https://127.0.0.1:\(serve.port)/soi/ingreso", "\(followed.standardError)")
    }

    @Test("serve refuses to start on an unreadable, mismatched or expired certificate, with one line naming it")
    func startUpRefusals() throws {
        let authority = try Self.authority.get()
        let good = try authority.issue(name: "good-" + UUID().uuidString.prefix(8))
        let other = try authority.issue(name: "other-" + UUID().uuidString.prefix(8))
        let expired = try authority.issue(name: "expired-" + UUID().uuidString.prefix(8), startDate: "20200101000000Z", endDate: "20200102000000Z")
        let folder = try TemporaryDirectory(prefix: "clave-serve-https-refusals")
        let cases: [([String], String)] = [
            (["--tls-cert", "/nonexistent/chain.pem", "--tls-key", good.keyPath], "cannot read --tls-cert /nonexistent/chain.pem"),
            (["--tls-cert", good.chainPath, "--tls-key", other.keyPath], "is not the key of the certificate"),
            (["--tls-cert", expired.chainPath, "--tls-key", expired.keyPath], "expired on Jan  2 00:00:00 2020 GMT"),
            (["--tls-cert", good.chainPath], "--tls-cert and --tls-key go together"),
            (["--redirect-http", "0"], "--redirect-http needs --tls-cert and --tls-key"),
        ]
        for (flags, message) in cases {
            let result = try ChildProcess.run(PackagePaths.claveExecutable,
                                              ["serve", "--port", "0", "--db", folder.path("clave.sqlite")] + flags, timeout: 30)
            #expect(result.status == 2, "\(flags): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(flags): \(result.standardError)")
        }
    }

    @Test("clave check prints the certificate, its chain and its days left, and fails a mismatched key")
    func check() throws {
        let authority = try Self.authority.get()
        let good = try authority.issue(name: "check-" + UUID().uuidString.prefix(8))
        let other = try authority.issue(name: "check-other-" + UUID().uuidString.prefix(8))
        let folder = try TemporaryDirectory(prefix: "clave-check-tls")
        let base = ["check", "--db", folder.path("clave.sqlite"), "--resources", PackagePaths.resources.path]
        let ok = try ChildProcess.run(PackagePaths.claveExecutable, base + ["--tls-cert", good.chainPath, "--tls-key", good.keyPath])
        let line = ok.standardOutput.split(separator: "\n").first { $0.contains(" tls: ") }.map(String.init) ?? ""
        // Two days from a private CA: a warning to renew, and the chain is not the machine's.
        #expect(line.hasPrefix("warn tls: /CN=localhost for localhost, 127.0.0.1, issued by /CN=Clave Test CA, chain of 2; expires in "), "\(ok.standardOutput)")
        #expect(ok.status == 0)
        let bad = try ChildProcess.run(PackagePaths.claveExecutable, base + ["--tls-cert", good.chainPath, "--tls-key", other.keyPath])
        #expect(bad.status == 1)
        #expect(bad.standardOutput.contains("FAIL tls: --tls-key \(other.keyPath) is not the key of the certificate"))
        let plain = try ChildProcess.run(PackagePaths.claveExecutable, base)
        #expect(!plain.standardOutput.contains(" tls: "), "no tls line without --tls-cert")
    }

    @Test("clave check --tls-ca verifies a private CA's chain against that CA, not the machine's trust store")
    func checkAgainstAPrivateCA() throws {
        let authority = try Self.authority.get()
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let lasting = try authority.issue(name: "check-ca-" + UUID().uuidString.prefix(8),
                                          endDate: formatter.string(from: Date().addingTimeInterval(60 * 86_400)))
        let folder = try TemporaryDirectory(prefix: "clave-check-tls-ca")
        let base = ["check", "--db", folder.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                    "--tls-cert", lasting.chainPath, "--tls-key", lasting.keyPath]
        func tlsLine(_ extra: [String]) throws -> (Int32, String) {
            let result = try ChildProcess.run(PackagePaths.claveExecutable, base + extra)
            return (result.status, result.standardOutput.split(separator: "\n").first { $0.contains(" tls: ") }.map(String.init) ?? result.standardOutput)
        }
        let machine = try tlsLine([])
        #expect(machine.1.hasPrefix("warn tls: ") && machine.1.contains("does not verify against this machine's trust store"), "\(machine.1)")
        let ca = try tlsLine(["--tls-ca", authority.certificatePath])
        #expect(ca.0 == 0)
        #expect(ca.1.hasPrefix("ok ") && ca.1.contains("the chain verifies against the CA certificates in \(authority.certificatePath)"), "\(ca.1)")
        let missing = try tlsLine(["--tls-ca", folder.path("no-such-ca.pem")])
        #expect(missing.0 == 1)
        #expect(missing.1.hasPrefix("FAIL tls: ") && missing.1.contains("cannot be read"), "\(missing.1)")
    }
}
