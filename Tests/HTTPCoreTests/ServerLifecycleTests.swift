import ClaveTime
import Foundation
import HTTPCore
import Testing
import TestSupport

/// Timeouts, saturation and graceful shutdown on a live server with short timeouts.
@Suite struct ServerLifecycleTests {
    /// A gate a handler waits on, opened by the test.
    final class Gate: @unchecked Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        func pass() {
            entered.signal()
            release.wait()
        }
    }

    static func router(gate: Gate) -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/slow") { _ in
            gate.pass()
            return .text("por fin")
        }
        router.get("/fast") { _ in .text("rápido") }
        router.get("/big") { _ in HTTPResponse(status: .ok, body: Array(repeating: 0x61, count: 8 * 1024 * 1024)) }
        return router
    }

    @Test func aSlowlorisClientIsClosedAtTheHeaderTimeoutWhileOthersAreServed() throws {
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2)
        configuration.timeouts.headerRead = .milliseconds(600)
        let live = try LiveServer(Self.router(gate: Gate()), configuration: configuration)
        let slow = try live.connect(timeout: 5)
        let start = Date()
        var closed = false
        for byte in "GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8 {
            do {
                try slow.send([byte])
            } catch {
                closed = true
                break
            }
            // Meanwhile another client on the same loop is served at once.
            let other = try live.connect(timeout: 2)
            try other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().text == "ok")
            Thread.sleep(forTimeInterval: 0.2)
            if Date().timeIntervalSince(start) > 1.5 { break }
        }
        if !closed {
            let response = try? slow.readResponse()
            #expect(response?.status == 408)
            closed = slow.waitsForClose()
        }
        #expect(closed)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.5 && elapsed < 2.5, "closed after \(elapsed) s")
    }

    @Test func theServersTimeoutsFollowTheConfiguredClock() throws {
        let clock = ManualClock()
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2)
        configuration.clock = clock
        configuration.timeouts.headerRead = .seconds(10)
        let live = try LiveServer(Self.router(gate: Gate()), configuration: configuration)
        let client = try live.connect(timeout: 5)
        try client.send("GET /healthz HTTP/1.1\r\nHo")
        // Real time passes, the clock does not: nothing happens.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(live.server.metrics.snapshot().openConnections == 1)
        clock.advance(by: .seconds(11))
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(client.waitsForClose())
    }

    @Test func anIdleKeepAliveConnectionIsClosedSilently() throws {
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2)
        configuration.timeouts.keepAliveIdle = .milliseconds(300)
        let live = try LiveServer(Self.router(gate: Gate()), configuration: configuration)
        let client = try live.connect(timeout: 3)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "ok")
        let start = Date()
        #expect(client.waitsForClose())
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func aFullWorkerQueueAnswers503WithRetryAfter() throws {
        let gate = Gate()
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 1, queueCapacity: 1)
        configuration.retryAfterSeconds = 2
        let live = try LiveServer(Self.router(gate: gate), configuration: configuration)

        let busy = try live.connect()
        try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        gate.entered.wait()   // the only worker is now held
        let queued = try live.connect()
        try queued.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
        // The queue holds one request; give the loop a moment to queue it.
        Thread.sleep(forTimeInterval: 0.1)
        let shed = try live.connect()
        try shed.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = try shed.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "2")
        // Inline routes still answer while the pool is saturated.
        try shed.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try shed.readResponse().text == "ok")

        gate.release.signal()
        #expect(try busy.readResponse().text == "por fin")
        #expect(try queued.readResponse().text == "rápido")
        #expect(live.server.metrics.snapshot().shed == 1)
    }

    @Test func gracefulShutdownFinishesTheRequestInFlightThenStops() throws {
        let gate = Gate()
        let live = try LiveServer(Self.router(gate: gate), configuration: HTTPServerConfiguration(eventLoopCount: 2, workerCount: 2))
        let idle = try live.connect()
        try idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().text == "ok")
        let inFlight = try live.connect()
        try inFlight.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        gate.entered.wait()

        live.server.shutdown()
        // The idle keep-alive connection is closed at once.
        #expect(idle.waitsForClose())
        // No new connections are accepted once the loops have stopped listening.
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            live.server.wait()
            stopped.signal()
        }
        #expect(stopped.wait(timeout: .now() + 0.3) == .timedOut, "wait() returned with a request in flight")

        gate.release.signal()
        let response = try inFlight.readResponse()
        #expect(response.text == "por fin")
        #expect(response.header("Connection") == "close")
        #expect(stopped.wait(timeout: .now() + 5) == .success)
        #expect(throws: (any Error).self) {
            let late = try RawHTTPClient(port: live.port, timeout: 1)
            try late.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try late.readResponse()
        }
    }

    @Test func aSlowReaderGetsTheWholeLargeResponseAndKeepsItsConnection() throws {
        let live = try LiveServer(Self.router(gate: Gate()), configuration: HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2))
        let reader = try live.connect(timeout: 5)
        try reader.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        // 8 MiB cannot fit in the socket buffers: the loop writes part, waits for EPOLLOUT,
        // and resumes where it stopped, while serving others in between.
        Thread.sleep(forTimeInterval: 0.3)
        let other = try live.connect()
        try other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try other.readResponse().text == "ok")
        let big = try reader.readResponse()
        #expect(big.body.count == 8 * 1024 * 1024)
        #expect(big.body.allSatisfy { $0 == 0x61 })
        #expect(try reader.readResponse().text == "ok")
    }

    @Test func aClientThatNeverReadsIsDroppedAtTheWriteTimeout() throws {
        var configuration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 2)
        configuration.timeouts.write = .milliseconds(400)
        let live = try LiveServer(Self.router(gate: Gate()), configuration: configuration)
        let reader = try live.connect(timeout: 3)
        try reader.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        // Read nothing while 8 MiB cannot fit in the socket buffers; the server must give up.
        Thread.sleep(forTimeInterval: 1.2)
        #expect(live.server.metrics.snapshot().openConnections == 0)
        // Meanwhile the loop was never blocked.
        let other = try live.connect()
        try other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try other.readResponse().text == "ok")
    }

    @Test func startTwiceIsAnErrorAndABusyPortIsReported() throws {
        let live = try LiveServer(Self.router(gate: Gate()))
        #expect(throws: HTTPServerError.alreadyStarted) { try live.server.start() }
        let second = HTTPServer(configuration: HTTPServerConfiguration(port: live.port), responder: Self.router(gate: Gate()))
        #expect(throws: SocketError.self) { try second.start() }
    }
}
