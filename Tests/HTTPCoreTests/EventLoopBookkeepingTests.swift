#if canImport(Glibc)
import Glibc
#endif
import ClaveTime
@testable import HTTPCore
import Testing

/// The event loop's bookkeeping and timers, one iteration at a time: a scripted poller says
/// which sockets are ready, a manual clock says what time it is, and socket pairs carry the
/// bytes. No listener, no port, no sleeping.
@Suite struct EventLoopBookkeepingTests {
    static func router() -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/padded", inline: true) { _ in
            var response = HTTPResponse.text("igual")
            response.minimumLatency = .milliseconds(400)
            return response
        }
        router.get("/worker") { _ in .text("hecho") }
        return router
    }

    static let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test func aConnectionClosedByThePeerIsRemovedOnceAndCountedOnce() throws {
        let harness = try EventLoopHarness(Self.router())
        let (peer, token) = try harness.connect()
        #expect(harness.openCounts == (1, 1, 1))

        peer.send(Self.request)
        harness.step(harness.readable(token))
        #expect(peer.received().hasSuffix("\r\n\r\nok"))
        #expect(harness.openCounts == (1, 1, 1))

        peer.close()
        harness.step(harness.readable(token, hangUp: true))
        #expect(harness.openCounts == (0, 0, 0))
        #expect(harness.loop.connections.connection(for: token) == nil)

        // A late event for the closed connection changes nothing.
        harness.step(harness.readable(token, hangUp: true), PollEvent(token: token, writable: true))
        #expect(harness.openCounts == (0, 0, 0))
        #expect(harness.poller.removed == [harness.poller.registered[0].fd])
        #expect(harness.metrics.snapshot().requestCount == 1)
    }

    @Test func theTableClosesAConnectionOnceHoweverOftenItIsAsked() throws {
        let poller = ScriptedPoller()
        let metrics = Metrics()
        let table = ConnectionTable(poller: poller, metrics: metrics.makeShard())
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { _ = Glibc.close(fds[0]) }
        let first = try table.open(descriptor: fds[1], remoteAddress: "a", limits: HTTPLimits(), timeouts: HTTPTimeouts(), now: 1)
        #expect(table.count == 1 && metrics.snapshot().openConnections == 1)
        table.close(first)
        table.close(first)
        #expect(table.count == 0 && metrics.snapshot().openConnections == 0)
        #expect(poller.removed == [fds[1]])

        // A descriptor number comes back for a later connection; a token of the earlier
        // generation does not find it, so a late response never reaches the wrong client.
        var again: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &again) == 0)
        defer { _ = Glibc.close(again[0]) }
        let second = try table.open(descriptor: again[1], remoteAddress: "b", limits: HTTPLimits(), timeouts: HTTPTimeouts(), now: 1)
        let earlierGeneration = (first.token & ~0xFFFF_FFFF) | UInt64(UInt32(bitPattern: second.descriptor))
        #expect(table.connection(for: earlierGeneration) == nil)
        #expect(table.connection(for: first.token) == nil)
        #expect(table.connection(for: second.token) === second)
        table.close(first)
        #expect(table.count == 1)
        table.close(second)
        #expect(table.count == 0 && metrics.snapshot().openConnections == 0)
    }

    @Test func aSilentConnectionClosesAtTheHeaderTimeoutWithoutAWord() throws {
        let timeouts = HTTPTimeouts(headerRead: .seconds(10), bodyRead: .seconds(30), keepAliveIdle: .seconds(15), write: .seconds(30))
        let harness = try EventLoopHarness(Self.router(), timeouts: timeouts)
        let (peer, _) = try harness.connect()
        // Sweeps run every second (a quarter of 10 s, at most 1 s) from the accept.
        for _ in 1...9 {
            harness.clock.advance(by: .seconds(1))
            harness.step()
        }
        harness.clock.advance(by: .milliseconds(999))
        harness.step()
        #expect(harness.openCounts == (1, 1, 1))
        // The loop asked to wake for the sweep due in 1 ms, not a second later.
        #expect(harness.poller.waits.last.map { $0 <= 2 } == true)

        harness.clock.advance(by: .milliseconds(1))
        harness.step()
        #expect(harness.openCounts == (0, 0, 0))
        #expect(peer.received() == "")
        #expect(peer.seesEndOfFile())
    }

    @Test func aPartialHeadIsAnswered408AtTheHeaderTimeout() throws {
        let timeouts = HTTPTimeouts(headerRead: .seconds(2), bodyRead: .seconds(30), keepAliveIdle: .seconds(15), write: .seconds(30))
        let harness = try EventLoopHarness(Self.router(), timeouts: timeouts)
        let (peer, token) = try harness.connect()
        peer.send("GET /healthz HTTP/1.1\r\nHo")
        harness.step(harness.readable(token))
        // Sweeps every 500 ms; the timer runs from the accept.
        harness.clock.advance(by: .milliseconds(1_500))
        harness.step()
        #expect(peer.received() == "")
        harness.clock.advance(by: .milliseconds(500))
        harness.step()
        let answer = peer.received()
        #expect(answer.hasPrefix("HTTP/1.1 408 "))
        #expect(answer.contains("Connection: close\r\n"))
        #expect(harness.openCounts == (0, 0, 0))
    }

    @Test func aPaddedResponseIsWrittenOnlyWhenTheClockPassesItsFloor() throws {
        let harness = try EventLoopHarness(Self.router())
        let (peer, token) = try harness.connect()
        peer.send("GET /padded HTTP/1.1\r\nHost: x\r\n\r\n")
        harness.step(harness.readable(token))
        #expect(harness.loop.timers.heldCount == 1)
        #expect(peer.received() == "")

        // The next wait ends when the response is due, however idle the loop is.
        harness.step()
        #expect(harness.poller.waits.last == 401)
        harness.clock.advance(by: .milliseconds(399))
        harness.step()
        #expect(peer.received() == "")

        harness.clock.advance(by: .milliseconds(1))
        harness.step()
        #expect(peer.received().hasSuffix("\r\n\r\nigual"))
        #expect(harness.loop.timers.heldCount == 0)
        // Keep-alive: the connection serves the next request at once.
        peer.send(Self.request)
        harness.step(harness.readable(token))
        #expect(peer.received().hasSuffix("\r\n\r\nok"))
        #expect(harness.openCounts == (1, 1, 1))
    }

    @Test func aPeerGoneDuringAHeldResponseIsClosedOnceWhenItIsDue() throws {
        let harness = try EventLoopHarness(Self.router())
        let (peer, token) = try harness.connect()
        peer.send("GET /padded HTTP/1.1\r\nHost: x\r\n\r\n")
        harness.step(harness.readable(token))
        peer.close()
        harness.step(harness.readable(token, hangUp: true))
        // A half-closed client may still read its answer: the connection waits for it.
        #expect(harness.openCounts == (1, 1, 1))

        harness.clock.advance(by: .milliseconds(400))
        harness.step()
        #expect(harness.openCounts == (0, 0, 0))
        #expect(harness.loop.timers.heldCount == 0)
        #expect(harness.poller.removed == [harness.poller.registered[0].fd])
    }

    @Test func shutdownGraceEndingDuringAHeldResponseClosesEverything() throws {
        let timeouts = HTTPTimeouts(shutdownGrace: .seconds(1))
        var router = Self.router()
        router.get("/slow-padded", inline: true) { _ in
            var response = HTTPResponse.text("tarde")
            response.minimumLatency = .seconds(5)
            return response
        }
        let harness = try EventLoopHarness(router, timeouts: timeouts)
        let (idle, _) = try harness.connect()
        let (held, token) = try harness.connect()
        held.send("GET /slow-padded HTTP/1.1\r\nHost: x\r\n\r\n")
        harness.step(harness.readable(token))

        harness.loop.requestShutdown()
        #expect(harness.step(PollEvent(token: EventLoop.wakeToken, readable: true)))
        // The idle connection closes at once; the held one has the grace period.
        #expect(idle.seesEndOfFile())
        #expect(harness.openCounts == (1, 1, 1))
        harness.clock.advance(by: .milliseconds(999))
        #expect(harness.step())

        harness.clock.advance(by: .milliseconds(1))
        #expect(!harness.step())
        harness.loop.finish()
        #expect(harness.openCounts == (0, 0, 0))
        #expect(held.received() == "")
        #expect(held.seesEndOfFile())
    }

    @Test func aWorkersResponseArrivesThroughTheWakeUpAndAFullQueueAnswers503() throws {
        let harness = try EventLoopHarness(Self.router())
        let accepting = WorkerQueue(accepts: true)
        harness.loop.submit = { job in accepting.take(job) }
        let (peer, token) = try harness.connect()
        peer.send("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n")
        harness.step(harness.readable(token))
        #expect(peer.received() == "")
        let job = try #require(accepting.jobs.first)
        harness.loop.complete(token: job.token, response: .text("hecho"))
        harness.step(PollEvent(token: EventLoop.wakeToken, readable: true))
        #expect(peer.received().hasSuffix("\r\n\r\nhecho"))

        let full = WorkerQueue(accepts: false)
        harness.loop.submit = { job in full.take(job) }
        peer.send("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n")
        harness.step(harness.readable(token))
        #expect(peer.received().hasPrefix("HTTP/1.1 503 "))
        #expect(harness.metrics.snapshot().shed == 1)
    }

    @Test func everyWayOfClosingBringsTheCountsBackToZero() throws {
        let timeouts = HTTPTimeouts(headerRead: .seconds(2), bodyRead: .seconds(30), keepAliveIdle: .seconds(2), write: .seconds(30))
        let harness = try EventLoopHarness(Self.router(), timeouts: timeouts)
        let (keepAlive, keepAliveToken) = try harness.connect()
        let (closing, closingToken) = try harness.connect()
        let (malformed, malformedToken) = try harness.connect()
        let (silent, _) = try harness.connect()
        #expect(harness.openCounts == (4, 4, 4))

        keepAlive.send(Self.request)
        closing.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        malformed.send("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n")
        harness.step(harness.readable(keepAliveToken), harness.readable(closingToken), harness.readable(malformedToken))
        #expect(keepAlive.received().hasSuffix("ok"))
        #expect(closing.received().contains("Connection: close\r\n"))
        #expect(malformed.received().hasPrefix("HTTP/1.1 400 "))
        // Both answered-and-closing connections linger until their peers close.
        #expect(harness.openCounts == (4, 4, 4))
        closing.close()
        malformed.close()
        harness.step(harness.readable(closingToken, hangUp: true), harness.readable(malformedToken, hangUp: true))
        #expect(harness.openCounts == (2, 2, 2))

        // The idle keep-alive and the silent connection both time out.
        harness.clock.advance(by: .seconds(2))
        harness.step()
        #expect(silent.seesEndOfFile())
        #expect(keepAlive.seesEndOfFile())
        #expect(harness.openCounts == (0, 0, 0))
        #expect(Set(harness.poller.removed) == Set(harness.poller.registered.map(\.fd)))
        #expect(harness.poller.removed.count == 4)
        #expect(harness.metrics.snapshot().requestCount == 3)
    }
}

/// A stand-in for the worker pool: keeps the jobs it accepts, or refuses all.
final class WorkerQueue: @unchecked Sendable {
    let accepts: Bool
    private(set) var jobs: [WorkerJob] = []

    init(accepts: Bool) { self.accepts = accepts }

    func take(_ job: WorkerJob) -> Bool {
        if accepts { jobs.append(job) }
        return accepts
    }
}
