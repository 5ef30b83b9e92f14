import Foundation
import HTTPCore
import Testing
import TestSupport

/// `HTTPResponse.minimumLatency`: the loop holds a response on its timer, not on a worker.
@Suite struct ServerMinimumLatencyTests {
    static func router() -> Router {
        var router = Router()
        router.get("/padded") { _ in
            var response = HTTPResponse.text("igual")
            response.minimumLatency = .milliseconds(400)
            return response
        }
        router.get("/fast") { _ in .text("rápido") }
        return router
    }

    static func get(_ path: String, on client: RawHTTPClient) throws -> RawHTTPResponse {
        try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        return try client.readResponse()
    }

    @Test func aPaddedResponseLeavesNoEarlierThanItsFloor() throws {
        let live = try LiveServer(Self.router(), configuration: HTTPServerConfiguration(eventLoopCount: 1, workerCount: 1))
        defer { live.stop() }
        let client = try live.connect()
        let start = Date()
        let response = try Self.get("/padded", on: client)
        let elapsed = Date().timeIntervalSince(start)
        #expect(response.status == 200 && response.text == "igual")
        #expect(elapsed >= 0.39, "answered after \(elapsed) s")
        // The connection is usable afterwards, and an unpadded answer is not delayed.
        let next = try Self.get("/fast", on: client)
        #expect(next.text == "rápido")
    }

    @Test func heldResponsesDoNotOccupyTheOnlyWorker() throws {
        let live = try LiveServer(Self.router(), configuration: HTTPServerConfiguration(eventLoopCount: 1, workerCount: 1))
        defer { live.stop() }
        // Several padded requests in flight at once, each on its own connection.
        let held = try (0..<4).map { _ in try live.connect() }
        for client in held { try client.send("GET /padded HTTP/1.1\r\nHost: x\r\n\r\n") }
        Thread.sleep(forTimeInterval: 0.05)
        // With one worker, a sleeping handler would make this wait 4 × 400 ms.
        let other = try live.connect()
        let start = Date()
        let fast = try Self.get("/fast", on: other)
        let elapsed = Date().timeIntervalSince(start)
        #expect(fast.text == "rápido")
        #expect(elapsed < 0.35, "the fast request waited \(elapsed) s behind held responses")
        for client in held { #expect(try client.readResponse().text == "igual") }
    }
}
