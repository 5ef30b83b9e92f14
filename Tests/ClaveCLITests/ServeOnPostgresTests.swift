import Foundation
import Testing
import TestSupport

/// `clave serve --db postgres://…` on a real PostgreSQL of its own (TLS verified against the
/// test CA, SCRAM): the commands take the URL, a POST during an outage gets the clear 503 page
/// within the timeouts, and the same process serves again once the server is back.
@Suite("clave serve on PostgreSQL", .enabled(if: PostgresPeer.shouldRun), .serialized)
struct ServeOnPostgresTests {
    @Test("a database outage answers 503 with a page and Retry-After; the node recovers without a restart")
    func outageAnswers503ThenRecovers() throws {
        let peer = try PostgresPeer()
        defer { peer.stop() }
        let url = peer.url(database: try peer.createDatabase("serve"))
        let migrate = try ChildProcess.run(PackagePaths.claveExecutable, ["db", "migrate", "--db", url], timeout: 60)
        #expect(migrate.status == 0, "\(migrate.standardError)")
        #expect(migrate.standardOutput.contains("migrated to schema version"))
        #expect(!migrate.standardOutput.contains(PostgresPeer.testPassword), "the password is never printed")

        let server = try ServeProcess(["--port", "0", "--db", url, "--resources", PackagePaths.resources.path],
                                      environment: ["CLAVE_LOG_LEVEL": "warning"])
        defer { _ = server.stop() }
        let browser = WebClient(transport: SocketTransport(port: server.port), host: "127.0.0.1:\(server.port)")
        let form = "/secop/olvide-contrasena"
        #expect(try browser.fillAndSubmit(form, ["usuario": "nadie.aqui"]).status == 200)

        let page = try browser.get(form)
        peer.stopKeepingData()
        let started = Date()
        let during = try browser.submit(page, to: form, ["usuario": "nadie.aqui"])
        let waited = Date().timeIntervalSince(started)
        #expect(during.status == 503, "\(during.status): \(during.text.prefix(300))")
        #expect(during.header("Retry-After") == "5")
        #expect(during.text.contains("No se guardó ningún cambio"), "the page says what happened and what to do")
        #expect(waited < 12, "answered within the checkout and connect timeouts (\(waited) s), not hung")
        #expect(try browser.get("/readyz").status == 503, "readiness says so too")

        try peer.start()
        let after = try browser.fillAndSubmit(form, ["usuario": "nadie.aqui"])
        #expect(after.status == 200, "the same process serves again: \(after.status)")
        #expect(try browser.get("/readyz").status == 200)
    }
}
