import Foundation
import Testing
import TestSupport
import UserStore

/// `clave serve --trusted-proxy 127.0.0.1` behind a real nginx (the README's proxy headers):
/// limits, the audit log and the access log count the client nginx saw, not nginx; a stranger
/// who talks to Clave directly cannot choose its own address with the same headers.
///
/// Clients are told apart by their source address: the test binds each socket to its own
/// 127.0.0.N (all of 127.0.0.0/8 is this machine on Linux) before connecting to nginx.
@Suite("clave serve behind nginx", .enabled(if: NginxPeer.shouldRun), .serialized)
struct ServeBehindNginxTests {
    let folder: TemporaryDirectory
    /// The store `--db` names (``TestStore``).
    let location: String
    let server: ServeProcess
    let nginx: NginxPeer

    init() throws {
        folder = try TemporaryDirectory(prefix: "serve-nginx")
        location = try TestStore.newLocation(in: folder)
        server = try ServeProcess(["--port", "0", "--db", location, "--resources", PackagePaths.resources.path,
                                   "--trusted-proxy", "127.0.0.1"], environment: ["CLAVE_LOG_LEVEL": "info"])
        nginx = try NginxPeer(upstreamPort: server.port)
    }

    func client(from source: String, direct: Bool = false) -> WebClient {
        let port = direct ? server.port : nginx.port
        return WebClient(transport: SocketTransport(port: port, source: source), host: "127.0.0.1:\(port)")
    }

    func auditClients(_ event: String) throws -> [String] {
        let database = try Database(location: DatabaseLocation(location))
        return try database.read { tx in try tx.auditLog.recent(event: event, limit: 100) }.compactMap(\.clientAddress)
    }

    @Test func elevenClientsBehindNginxEachKeepTheirOwnLimit() throws {
        // SECOP's forgot-password allows 10 requests per address per 15 minutes; counted per
        // proxy, the eleventh client would get 429.
        for index in 1...11 {
            let answer = try client(from: "127.0.0.\(10 + index)").fillAndSubmit("/secop/olvide-contrasena", ["usuario": "nadie\(index)"])
            #expect(answer.status == 200, "client 127.0.0.\(10 + index): \(answer.status)")
        }
        // The limit is real: one client alone spends it.
        let one = client(from: "127.0.0.30")
        let statuses = try (1...11).map { try one.fillAndSubmit("/secop/olvide-contrasena", ["usuario": "otro\($0)"]).status }
        #expect(statuses.prefix(10).allSatisfy { $0 == 200 } && statuses.last == 429, "\(statuses)")
        let clients = try auditClients("reset.requested")
        #expect(Set(clients).isSuperset(of: (11...21).map { "127.0.0.\($0)" }), "\(clients)")
        #expect(!clients.contains("127.0.0.1"))
    }

    @Test func forwardingHeadersSentStraightToClaveAreIgnored() throws {
        let stranger = client(from: "127.0.0.40", direct: true)
        var statuses: [Int] = []
        for index in 1...11 {
            let headers = [("X-Forwarded-For", "198.51.100.\(index)"), ("Forwarded", "for=198.51.100.\(index)")]
            let page = try stranger.get("/secop/olvide-contrasena", headers: headers)
            let csrf = try page.csrfToken()
            statuses.append(try stranger.post("/secop/olvide-contrasena", [("csrf", csrf), ("usuario", "falso\(index)")], headers: headers).status)
        }
        #expect(statuses.last == 429, "\(statuses)")
        let clients = try auditClients("reset.requested")
        #expect(clients.contains("127.0.0.40"))
        #expect(!clients.contains { $0.hasPrefix("198.51.100.") }, "\(clients)")
    }

    @Test func theDemoUserLogsInThroughNginxAndTheMailArrives() throws {
        let browser = client(from: "127.0.0.50")
        let login = try browser.fillAndSubmit("/secop/ingreso", ["usuario": "demo.secop", "contrasena": "Secop-Demo-2026"])
        #expect(login.status == 303)
        #expect(login.location == "/secop/inicio")
        let home = try browser.get("/secop/inicio")
        #expect(home.status == 200)
        #expect(home.text.contains("demo.secop"))
        #expect(try auditClients("login.succeeded").contains("127.0.0.50"))

        #expect(try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": "demo.secop"]).status == 200)
        // The mailbox refuses proxied requests, so it is read from Clave directly.
        #expect(try browser.get("/_correo/api/mensajes").status == 404)
        let mailbox = WebClient(port: server.port)
        let deadline = Date().addingTimeInterval(20)
        var messages = ""
        while Date() < deadline {
            messages = try mailbox.get("/_correo/api/mensajes").text
            if messages.contains("compras@example.com") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(messages.contains("compras@example.com"))
    }

    @Test func theAccessLogNamesTheClientAndThePeer() throws {
        #expect(try client(from: "127.0.0.60").get("/healthz").status == 200)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !server.child.standardError.contains("client=127.0.0.60") { Thread.sleep(forTimeInterval: 0.05) }
        let line = server.child.standardError.split(separator: "\n").first { $0.contains("path=/healthz") && $0.contains("client=127.0.0.60") }
        #expect(line?.contains("peer=127.0.0.1") == true, "\(server.child.standardError.suffix(2000))")
    }

    @Test func aBadTrustedProxyValueStopsStartUpWithOneLine() throws {
        for (arguments, environment) in [(["--trusted-proxy", "10.0.0.0/33"], [:]), ([], ["CLAVE_TRUSTED_PROXIES": "127.0.0.1, nginx"]),
                                         (["--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1/200"], [:])] {
            let run = try ChildProcess.run(PackagePaths.claveExecutable,
                                           ["serve", "--port", "0", "--db", folder.path("bad.sqlite")] + arguments, environment: environment)
            #expect(run.status == 2)
            #expect(run.standardError.hasPrefix("clave serve: --trusted-proxy: "), "\(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1)
        }
    }
}
