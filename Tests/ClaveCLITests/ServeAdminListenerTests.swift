import Foundation
import Testing
import TestSupport

/// `clave serve --admin-listen`: metrics, liveness and readiness on an address of their own.
@Suite struct ServeAdminListenerTests {
    @Test func developmentOpensTheAdminListenerOnAFreeLoopbackPortAndTheBannerNamesIt() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-admin")
        let server = try ChildProcess(PackagePaths.claveExecutable,
                                      ["serve", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path],
                                      environment: ["CLAVE_PORT": "0", "CLAVE_LOG_LEVEL": "warning"])
        defer { server.terminate(); _ = server.wait() }
        let banner = try #require(server.waitForOutput(containing: "Administración: http://127.0.0.1:", timeout: 30))
        let adminLine = try #require(banner.split(separator: "\n").first { $0.hasPrefix("Administración: ") })
        let adminPort = try #require(adminLine.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let mainLine = try #require(banner.split(separator: "\n").first)
        let mainPort = try #require(mainLine.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })

        let admin = try RawHTTPClient(port: adminPort)
        try admin.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = try admin.readResponse()
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("clave_http_accept_pauses_total"))
        #expect(metrics.text.contains("clave_outbox_waiting 0"))
        #expect(metrics.text.contains("clave_outbox_oldest_waiting_seconds 0"))
        #expect(metrics.text.contains("clave_mail_delivery_failures_total{reason=\"session_refused\"} 0"))
        #expect(metrics.text.contains("clave_rate_limit_refusals_total{route=\"POST /secop/olvide-contrasena\"} 0"))
        #expect(metrics.text.contains("clave_store_retried_transactions_total{engine=\"sqlite\"} 0"))
        try admin.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        let ready = try admin.readResponse()
        #expect(ready.status == 200)
        #expect(ready.text.hasPrefix("ready\ndatabase: ok"))
        try admin.send("GET /secop/ingreso HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try admin.readResponse().status == 404, "the admin listener serves no portal")

        let public_ = try RawHTTPClient(port: mainPort)
        try public_.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try public_.readResponse().status == 200)
    }

    @Test func offMeansNoAdminListener() throws {
        let temporary = try TemporaryDirectory(prefix: "serve-admin-off")
        let server = try ChildProcess(PackagePaths.claveExecutable,
                                      ["serve", "--db", temporary.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                                       "--admin-listen", "off"],
                                      environment: ["CLAVE_PORT": "0", "CLAVE_LOG_LEVEL": "warning"])
        #expect(server.waitForOutput(containing: "Correo:", timeout: 30) != nil)
        server.terminate()
        let result = server.wait()
        #expect(result.status == 0)
        #expect(!result.standardOutput.contains("Administración"))
    }
}
