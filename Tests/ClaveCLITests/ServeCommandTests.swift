import Foundation
import Testing
import TestSupport

/// `clave serve` as a user runs it: a real process, real signals, a raw client.
@Suite struct ServeCommandTests {
    /// A running `clave` process (a ``ChildProcess``) with its output collected.
    final class Process_: @unchecked Sendable {
        let process: ChildProcess

        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            process = try ChildProcess(PackagePaths.claveExecutable, arguments,
                                       environment: ["CLAVE_LOG_LEVEL": "warning"].merging(environment) { $1 })
        }

        /// The first line on standard output (empty if the process printed none).
        func firstLine() -> String { process.firstLine() ?? "" }

        func finish() -> (status: Int32, output: String, errors: String) {
            let result = process.wait()
            return (result.status, result.standardOutput, result.standardError)
        }
    }

    @Test func helpListsEveryOption() throws {
        let run = try Process_(["serve", "--help"]).finish()
        #expect(run.status == 0)
        for option in ["--host", "--port", "--db", "--resources", "--public-url", "--smtp-url", "--mail-domain", "--ehlo-name", "--dkim-domain", "--dkim-selector", "--dkim-key", "--mode", "--access-log", "--workers", "CLAVE_PORT", "CLAVE_MAIL_DOMAIN"] {
            #expect(run.output.contains(option), "missing \(option)")
        }
    }

    @Test(arguments: [
        (["--mode", "production", "--smtp-url", "smtp://u:p@mail.example:587"], "https"),
        (["--mode", "production", "--public-url", "http://clave.example"], "https"),
        (["--mode", "production", "--public-url", "https://clave.example"], "--smtp-url"),
        (["--mode", "pruebas"], "--mode"),
        (["--port", "70000"], "--port"),
        (["--smtp-url", "ftp://x"], "--smtp-url"),
        (["--access-log", "talvez"], "--access-log"),
        (["--db", "/no/existe/clave.sqlite"], "--db"),
        (["--puerto", "1"], "unknown option"),
        (["--admin-listen", "9464"], "--admin-listen"),
        (["--trusted-proxy", "10.0.0.0/33"], "--trusted-proxy"),
        (["--admin-listen", "[::1]:puerto"], "--admin-listen"),
        (["--mail-domain", "x.co>\r\nBcc: a@b.co"], "--mail-domain"),
        (["--dkim-domain", "clave.test"], "DKIM needs all of"),
        (["--host", "0.0.0.0"], "development mode listens only on this machine"),
        (["--host", "::"], "development mode listens only on this machine"),
        (["--public-url", "https://clave.example.co"], "development mode with an https public URL"),
        (["--dkim-domain", "clave.test", "--dkim-selector", "s1", "--dkim-key", "/no/existe.pem"], "DKIM"),
        (["--mode", "production"] + ServeCommandTests.production.without("--mail-domain"), "production mode needs --mail-domain"),
        (["--mode", "production"] + ServeCommandTests.production.without("--ehlo-name"), "production mode needs --ehlo-name"),
        (["--mode", "production", "--ehlo-name", "localhost"] + ServeCommandTests.production.without("--ehlo-name"), "not localhost"),
        (["--mode", "production"] + ServeCommandTests.production.without("--no-dkim"), "or --no-dkim"),
        (["--mode", "production", "--smtp-url", "smtp+plain://mail.example.co:25"] + ServeCommandTests.production.without("--smtp-url"),
         "refuses plaintext SMTP to mail.example.co"),
        (["--mode", "production", "--smtp-url", "smtp://mail.example.co:25?tls=none"] + ServeCommandTests.production.without("--smtp-url"),
         "refuses plaintext SMTP to mail.example.co"),
        (["--no-dkim", "--dkim-domain", "clave.test", "--dkim-selector", "s1", "--dkim-key", "/no/existe.pem"], "--no-dkim contradicts"),
        (["--smtp-url", "smtp+plain://u:p@127.0.0.1:25"], "credentials without TLS"),
    ])
    func badSettingsStopWithOneClearLineAndStatus2(arguments: [String], mentions: String) throws {
        let temporary = try TemporaryDirectory(prefix: "serve-bad")
        var words = ["serve", "--port", "0"]
        if !arguments.contains("--db") { words += ["--db", temporary.path("clave.sqlite")] }
        let run = try Process_(words + arguments).finish()
        #expect(run.status == 2)
        let lines = run.errors.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(run.errors.contains(mentions), "stderr: \(run.errors)")
    }

    /// A production start that passes every refusal (its SMTP server is never contacted: no
    /// mail is queued), as `["--flag", "value", ...]` pairs with `--no-dkim` last.
    static let production = ProductionOptions([
        ("--public-url", "https://clave.example.co"), ("--smtp-url", "smtp://clave:secreto@127.0.0.1:9"),
        ("--mail-domain", "clave.example.co"), ("--ehlo-name", "clave.example.co"), ("--no-dkim", nil),
    ])

    struct ProductionOptions {
        let pairs: [(String, String?)]
        init(_ pairs: [(String, String?)]) { self.pairs = pairs }
        /// The options without `flag` (and its value).
        func without(_ flag: String) -> [String] {
            pairs.filter { $0.0 != flag }.flatMap { [$0.0] + ($0.1.map { [$0] } ?? []) }
        }
        var all: [String] { without("") }
    }

    @Test func productionWithNoDKIMStartsAndItsBannerWarns() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-production")
        let server = try ServeProcess(["--port", "0", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                                       "--mode", "production"] + Self.production.all, until: "Advertencia")
        // /readyz reports the same warning on every answer, and production's public listener
        // serves no metrics (they are for the admin listener, off by default here).
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        let ready = try client.readResponse()
        #expect(ready.text.contains("warning: DKIM is off (--no-dkim)"), "\(ready.text)")
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 404)
        let status = server.stop()
        #expect(server.banner.contains("(modo production)"), "\(server.banner)")
        #expect(server.banner.contains("Advertencia: DKIM is off (--no-dkim): mail is sent unsigned"), "\(server.banner)")
        #expect(!server.banner.contains("Usuarios de demostración"))
        #expect(status == 0)
    }

    @Test func serveTakesThePlainSMTPFormClaveMailTakes() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-plain")
        let server = try ServeProcess(["--port", "0", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                                       "--smtp-url", "smtp+plain://127.0.0.1:2525"], until: "Correo:")
        let banner = server.child.waitForOutput(containing: "2525\n", timeout: 30) ?? server.banner
        #expect(server.stop() == 0)
        #expect(banner.contains("Correo: smtp+plain://127.0.0.1:2525"), "\(banner)")
    }

    @Test func productionTakesPlainSMTPToThisMachine() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-production-plain")
        let server = try ServeProcess(["--port", "0", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                                       "--mode", "production", "--smtp-url", "smtp+plain://localhost:25"]
                                      + Self.production.without("--smtp-url"), until: "Advertencia")
        #expect(server.stop() == 0)
        #expect(server.banner.contains("Correo: smtp+plain://localhost:25"), "\(server.banner)")
    }

    @Test func resourcesWithoutTheCommonPasswordListStopTheServerWithOneClearLine() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-resources")
        let resources = URL(fileURLWithPath: temporary.path("Resources"))
        try FileManager.default.copyItem(at: PackagePaths.resources, to: resources)
        try FileManager.default.removeItem(at: resources.appendingPathComponent("data/common-passwords.txt"))
        let run = try Process_(["serve", "--port", "0", "--db", temporary.path("clave.sqlite"), "--resources", resources.path])
            .finish()
        #expect(run.status == 1)
        #expect(run.errors.contains("common-passwords.txt"), "stderr: \(run.errors)")
        #expect(run.errors.split(separator: "\n").count == 1, "stderr: \(run.errors)")
    }

    @Test func servesHealthzMetricsTheHomePageAndStaticFilesThenStopsOnSIGTERM() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-live")
        let server = try Process_(
            ["serve", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path],
            environment: ["CLAVE_PORT": "0", "CLAVE_ACCESS_LOG": "on", "CLAVE_LOG_LEVEL": "info"])
        let line = server.firstLine()
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "no URL in '\(line)'")
        #expect(line.contains("http://127.0.0.1:"))

        let client = try RawHTTPClient(port: port)
        try client.send("GET /healthz?probe=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let health = try client.readResponse()
        #expect(health.status == 200)
        #expect(health.text == "ok")
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let home = try client.readResponse()
        #expect(home.header("Content-Type") == "text/html; charset=utf-8")
        #expect(home.text.contains("lang=\"es\""))
        try client.send("GET /static/clave.css HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().header("Content-Type") == "text/css; charset=utf-8")
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = try client.readResponse()
        #expect(metrics.text.contains("clave_http_requests_total{code=\"200\",class=\"2xx\"} 3"))
        #expect(metrics.text.contains("clave_http_open_connections 1"))

        server.process.terminate()   // SIGTERM
        #expect(client.waitsForClose())
        let run = server.finish()
        #expect(run.status == 0)
        // One access-log line per request: path without its query, status, bytes, id.
        #expect(run.errors.contains("msg=request method=GET path=/healthz status=200 bytes=2 "))
        #expect(!run.errors.contains("probe=1"))
        #expect(run.errors.contains("request_id="))
        #expect(run.errors.contains("msg=\"shutting down\" signal=15"))
    }

    @Test func theAccessLogCanBeTurnedOff() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-quiet")
        let server = try Process_(
            ["serve", "--port", "0", "--db", temporary.path("clave.sqlite"), "--access-log", "off"],
            environment: ["CLAVE_LOG_LEVEL": "info"])
        let line = server.firstLine()
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let client = try RawHTTPClient(port: port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        kill(server.process.processIdentifier, SIGINT)
        let run = server.finish()
        #expect(run.status == 0)
        #expect(!run.errors.contains("msg=request "))
    }
}
