import Foundation
import HTTPCore
import Testing
import TestSupport

/// `maxConnections` (`clave serve --max-connections`): at the cap a loop stops accepting, counts
/// the pause, keeps serving the connections it has, and accepts again once one closes.
@Suite struct ConnectionCapTests {
    @Test func atTheCapNewcomersWaitInTheBacklogWhileOpenConnectionsAreServed() throws {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        let live = try LiveServer(router, configuration: HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2, maxConnections: 2))
        let first = try live.connect(), second = try live.connect()
        for client in [first, second] {
            try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        // The third connects (the kernel's backlog) but is not taken in: no answer yet.
        let third = try live.connect(timeout: 0.5)
        try third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(throws: (any Error).self) { try third.readResponse() }
        #expect(live.server.metrics.snapshot().acceptPauses >= 1)
        #expect(live.server.metrics.render().contains("clave_http_accept_pauses_total "))
        // Those it has are still served.
        try second.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try second.readResponse().status == 200)
        // One closes: the waiting one is taken in and answered.
        first.close()
        third.setTimeout(5)
        #expect(try third.readResponse().status == 200)
    }

    @Test func theDefaultCapKeepsHeadroomUnderTheDescriptorLimit() {
        var limit = rlimit()
        #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        let cap = HTTPServerConfiguration.defaultMaxConnections
        #expect(cap >= 16)
        if limit.rlim_cur != rlim_t.max, limit.rlim_cur > 128 { #expect(cap <= Int(limit.rlim_cur) - 64) }
        #expect(HTTPServerConfiguration(maxConnections: 0).maxConnections == 1)
    }
}
