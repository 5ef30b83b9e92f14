import ClaveTime
import Foundation
import Testing
@testable import HTTPCore

/// The connection lifecycle with a hand-driven clock: every timeout, without sleeping.
@Suite struct ConnectionStateMachineTests {
    let timeouts = HTTPTimeouts(
        headerRead: .seconds(10), bodyRead: .seconds(30), keepAliveIdle: .seconds(15), write: .seconds(20))
    let second: UInt64 = 1_000_000_000
    let start: UInt64 = 1_000 * 1_000_000_000

    @Test func aSilentConnectionExpiresAtTheHeaderTimeoutFromAccept() {
        let machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        #expect(machine.state == .awaitingHead)
        #expect(machine.expired(at: start + 10 * second - 1) == nil)
        #expect(machine.expired(at: start + 10 * second) == .headerRead)
        // Nothing was under way: closed without a 408.
        #expect(!machine.answersRequestTimeout)
    }

    /// HTTPS: the handshake has its own deadline from accept (5 s by default), and the header
    /// timer starts only when the handshake ends, however long within its budget it took.
    @Test func theHandshakeTimerRunsUntilTheHandshakeEndsThenTheHeaderTimerStarts() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.handshakeStarted(now: start)
        #expect(machine.awaitsHandshake)
        #expect(machine.expired(at: start + 5 * second - 1) == nil)
        #expect(machine.expired(at: start + 5 * second) == .handshake)
        #expect(!machine.answersRequestTimeout)

        machine.handshakeFinished(now: start + 4 * second)
        #expect(!machine.awaitsHandshake)
        #expect(machine.expired(at: start + 5 * second) == nil)
        #expect(machine.expired(at: start + 14 * second - 1) == nil)
        #expect(machine.expired(at: start + 14 * second) == .headerRead)
        // The first bytes of the head do not restart the timer that began at the handshake's end.
        machine.parserAdvanced(to: .head, now: start + 13 * second)
        #expect(machine.expired(at: start + 14 * second) == .headerRead)
        #expect(machine.answersRequestTimeout)
    }

    @Test func tricklingBytesDoesNotExtendTheHeaderTimeout() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        for tick in 1...9 {
            machine.parserAdvanced(to: .head, now: start + UInt64(tick) * second)
        }
        #expect(machine.state == .readingHead)
        #expect(machine.expired(at: start + 10 * second) == .headerRead)
        #expect(machine.answersRequestTimeout)
    }

    @Test func theBodyTimerStartsWhenTheHeadIsComplete() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.parserAdvanced(to: .head, now: start + second)
        machine.parserAdvanced(to: .body, now: start + 5 * second)
        #expect(machine.state == .readingBody)
        #expect(machine.expired(at: start + 34 * second) == nil)
        #expect(machine.expired(at: start + 35 * second) == .bodyRead)
        #expect(machine.answersRequestTimeout)
    }

    @Test func aHandlerHasNoTimeoutAndTheWriteTimerStartsWithTheResponse() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.requestDispatched(keepAlive: true)
        #expect(machine.state == .processing)
        #expect(machine.expired(at: start + 1_000_000 * second) == nil)
        machine.responseQueued(keepAlive: true, now: start + 100 * second)
        #expect(machine.state == .writing)
        #expect(machine.expired(at: start + 119 * second) == nil)
        #expect(machine.expired(at: start + 120 * second) == .write)
        #expect(!machine.answersRequestTimeout)
    }

    @Test func keepAliveWaitsForTheIdleTimeoutThenANewHeadGetsAFreshHeaderTimer() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.requestDispatched(keepAlive: true)
        machine.responseQueued(keepAlive: true, now: start)
        let result1 = machine.responseWritten(now: start + second)
        #expect(result1 == .readNext)
        #expect(machine.state == .awaitingHead)
        #expect(machine.expired(at: start + 16 * second - 1) == nil)
        #expect(machine.expired(at: start + 16 * second) == .keepAliveIdle)
        #expect(!machine.answersRequestTimeout)

        machine.parserAdvanced(to: .head, now: start + 12 * second)
        #expect(machine.expired(at: start + 21 * second) == nil)
        #expect(machine.expired(at: start + 22 * second) == .headerRead)
    }

    @Test func connectionCloseOrAnErrorLingersThenCloses() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.requestDispatched(keepAlive: false)
        machine.responseQueued(keepAlive: true, now: start)
        let result2 = machine.responseWritten(now: start)
        #expect(result2 == .close)
        #expect(machine.state == .lingering)
        #expect(machine.expired(at: start + ConnectionStateMachine.lingerTime) == .linger)

        var rejected = ConnectionStateMachine(timeouts: timeouts, now: start)
        rejected.requestDispatched(keepAlive: true)
        rejected.responseQueued(keepAlive: false, now: start)
        let result3 = rejected.responseWritten(now: start)
        #expect(result3 == .close)
    }

    @Test func shutdownClosesIdleConnectionsNowAndBusyOnesAfterTheirResponse() {
        var idle = ConnectionStateMachine(timeouts: timeouts, now: start)
        let result4 = idle.shutdownRequested()
        #expect(result4)

        var busy = ConnectionStateMachine(timeouts: timeouts, now: start)
        busy.requestDispatched(keepAlive: true)
        let result5 = busy.shutdownRequested()
        #expect(!result5)
        busy.responseQueued(keepAlive: true, now: start)
        #expect(!busy.keepAlive)
        let result6 = busy.responseWritten(now: start)
        #expect(result6 == .close)

        var reading = ConnectionStateMachine(timeouts: timeouts, now: start)
        reading.parserAdvanced(to: .head, now: start)
        let result7 = reading.shutdownRequested()
        #expect(!result7)
    }

    @Test func aClosedConnectionNeverExpires() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: start)
        machine.closed()
        #expect(machine.expired(at: .max) == nil)
    }

    @Test func theSweepIntervalFollowsTheShortestTimeout() {
        #expect(HTTPTimeouts().sweepInterval == .seconds(1))
        #expect(HTTPTimeouts(headerRead: .milliseconds(200)).sweepInterval == .milliseconds(50))
        #expect(HTTPTimeouts(headerRead: .milliseconds(1)).sweepInterval == .milliseconds(5))
    }

    @Test func theManualClockMovesOnlyWhenTold() {
        let wall = Date(timeIntervalSince1970: 1_000)
        let clock = ManualClock(start: wall, uptime: 5)
        #expect(clock.uptime() == 5)
        clock.advance(by: .milliseconds(3))
        #expect(clock.uptime() == 5 + 3_000_000)
        // The `Date` header's clock moves with the timeouts' clock.
        #expect(clock.now() == wall.addingTimeInterval(0.003))
    }
}
