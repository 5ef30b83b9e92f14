import ClaveTime
import Foundation
import Testing
import TestSupport
import UserStore
@testable import Mailer

/// A transport that runs a closure for each message instead of sending it: the closure sees
/// the database as it is while the message is "on the wire", and says what the server answered.
final class ScriptedTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sentIDs: [Int64] = []
    private let answer: (OutgoingMail) -> DeliveryResult

    init(_ answer: @escaping (OutgoingMail) -> DeliveryResult) { self.answer = answer }

    /// The ids handed to the "server", in order.
    var sent: [Int64] { lock.withLock { sentIDs } }

    func send(_ messages: [OutgoingMail], shouldSend: (OutgoingMail) -> Bool, report: (DeliveryResult) -> Void) {
        for mail in messages where shouldSend(mail) {
            lock.withLock { sentIDs.append(mail.id) }
            report(answer(mail))
        }
    }
}

@Suite("Outbox: outcomes recorded per message, short renewed leases, outage recovery")
struct OutboxRecordingTests {
    static let start = Date(timeIntervalSince1970: 1_795_320_000)

    func worker(_ fixture: OutboxFixture, _ transport: any MailTransport, clock: ManualClock, lease: TimeInterval = 15) -> OutboxWorker {
        // The timer renewal is pushed out of the way (a minute of real time): these tests see
        // only the renewals that go with each outcome, which the manual clock dates.
        OutboxWorker(database: fixture.database, transport: transport,
                     configuration: OutboxWorkerConfiguration(batchSize: 10, lease: lease, leaseRenewal: 60,
                                                              retry: RetryPolicy(jitter: 0)),
                     logger: .init(label: "test", level: .error), clock: clock)
    }

    func state(_ fixture: OutboxFixture, _ id: Int64) throws -> OutboxState? {
        try fixture.database.read { tx in try tx.outbox.find(id: id) }?.state
    }

    @Test("the outcome of each message is in the database before the next message is sent")
    func recordsEachOutcomeAtOnce() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        let ids = try fixture.enqueue(4, at: clock.now())
        let seen = Locked<[[OutboxState?]]>([])
        let transport = ScriptedTransport { mail in
            // What a crash at this moment would leave: every earlier message already recorded.
            seen.withLock { $0.append(ids.map { try? state(fixture, $0) }) }
            return DeliveryResult(id: mail.id, outcome: mail.id == ids[1] ? .temporary("451 try later") : .delivered)
        }
        #expect(worker(fixture, transport, clock: clock).deliverBatch() == 4)
        #expect(seen.withLock { $0 } == [
            [.sending, .sending, .sending, .sending],
            [.sent, .sending, .sending, .sending],
            [.sent, .pending, .sending, .sending],
            [.sent, .pending, .sent, .sending],
        ])
        let scrubbed = try #require(try fixture.database.read { tx in try tx.outbox.find(id: ids[0]) })
        #expect(scrubbed.textBody.isEmpty && scrubbed.sentAt == clock.now())
    }

    @Test("the living worker renews its lease with each outcome: no other process takes its rows")
    func renewsLeaseWhileBatchRuns() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        try fixture.enqueue(3, at: clock.now())
        let stolen = Locked<[Int64]>([])
        let transport = ScriptedTransport { mail in
            // Each message takes 10 s of a 15 s lease: 30 s in all, twice the lease.
            clock.advance(by: 10)
            let taken = (try? fixture.database.write { tx in try tx.outbox.claimDue(now: clock.now(), limit: 10, lease: 15) }) ?? []
            stolen.withLock { $0 += taken.map(\.id) }
            return DeliveryResult(id: mail.id, outcome: .delivered)
        }
        #expect(worker(fixture, transport, clock: clock).deliverBatch() == 3)
        #expect(stolen.withLock { $0 }.isEmpty)
        #expect(transport.sent.count == 3)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 3)
    }

    @Test("while one message takes longer than the whole lease, the renewal timer keeps the batch's rows")
    func renewalTimerCoversASlowMessage() throws {
        let fixture = try OutboxFixture()
        try fixture.enqueue(2, at: Date())
        let stolen = Locked<[Int64]>([])
        let transport = ScriptedTransport { mail in
            // A DATA answered after 1.5 s, with a 0.5 s lease renewed every 0.1 s.
            Thread.sleep(forTimeInterval: 1.5)
            let taken = (try? fixture.database.write { tx in try tx.outbox.claimDue(now: Date(), limit: 10, lease: 15) }) ?? []
            stolen.withLock { $0 += taken.map(\.id) }
            return DeliveryResult(id: mail.id, outcome: .delivered)
        }
        let worker = OutboxWorker(database: fixture.database, transport: transport,
                                  configuration: OutboxWorkerConfiguration(lease: 0.5, leaseRenewal: 0.1),
                                  logger: .init(label: "test", level: .error))
        // The lease is clamped to 1 s: still shorter than the message.
        #expect(worker.configuration.lease == 1)
        #expect(worker.deliverBatch() == 2)
        #expect(stolen.withLock { $0 }.isEmpty, "another process took rows the living worker still held")
        #expect(transport.sent.count == 2)
    }

    @Test("rows claimed by a process that died are claimed again once its short lease lapses")
    func deadProcessLeaseLapses() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        try fixture.enqueue(2, at: clock.now())
        // A "process" claims with the default lease and dies before recording anything.
        let lease = OutboxWorkerConfiguration().lease
        #expect(lease == 15)
        #expect(try fixture.database.write { tx in try tx.outbox.claimDue(now: clock.now(), limit: 10, lease: lease) }.count == 2)
        let transport = ScriptedTransport { DeliveryResult(id: $0.id, outcome: .delivered) }
        let worker = worker(fixture, transport, clock: clock)
        clock.advance(by: lease - 1)
        #expect(worker.deliverBatch() == 0)
        clock.advance(by: 2)
        #expect(worker.deliverBatch() == 2)
        #expect(transport.sent.count == 2)
    }

    @Test("a stalled worker whose lease lapsed does not send the rows another process claimed since")
    func stalledWorkerSkipsLostRows() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        let ids = try fixture.enqueue(3, at: clock.now())
        let transport = ScriptedTransport { mail in
            if mail.id == ids[0] {
                // Stalled past the lease; meanwhile another process claims what it can.
                clock.advance(by: 20)
                _ = try? fixture.database.write { tx in try tx.outbox.claimDue(now: clock.now(), limit: 10, lease: 15) }
            }
            return DeliveryResult(id: mail.id, outcome: .delivered)
        }
        #expect(worker(fixture, transport, clock: clock).deliverBatch() == 3)
        // Message 1 was on the wire already; 2 and 3 now belong to the other claim.
        #expect(transport.sent == [ids[0]])
        #expect(try state(fixture, ids[0]) == .sent)
        #expect(try state(fixture, ids[1]) == .sending && state(fixture, ids[2]) == .sending)
    }

    @Test("after an outage the first delivery that succeeds makes every message waiting for the server due at once")
    func outageBacklogGoesAtOnce() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        let serverUp = Locked(false)
        let greylisted = try #require(try fixture.enqueue(1, at: clock.now(), prefix: "greylisted").first)
        let waiting = try fixture.enqueue(4, at: clock.now())
        let transport = ScriptedTransport { mail in
            if mail.id == greylisted { return DeliveryResult(id: mail.id, outcome: .temporary("451 greylisted")) }
            return serverUp.withLock { $0 }
                ? DeliveryResult(id: mail.id, outcome: .delivered)
                : DeliveryResult(id: mail.id, outcome: .temporary("connect: refused"), serverUnavailable: true)
        }
        let worker = worker(fixture, transport, clock: clock)
        #expect(worker.deliverBatch() == 5)
        // Three failed rounds: the back-off has grown to 30 s, 60 s, 120 s.
        clock.advance(by: 31)
        #expect(worker.deliverBatch() == 5)
        clock.advance(by: 61)
        #expect(worker.deliverBatch() == 5)
        let backOff = try #require(try fixture.database.read { tx in try tx.outbox.find(id: waiting[0]) })
        #expect(backOff.nextAttemptAt == clock.now().addingTimeInterval(120))

        serverUp.withLock { $0 = true }
        let fresh = try #require(try fixture.enqueue(1, at: clock.now(), prefix: "fresh").first)
        #expect(worker.deliverBatch() == 1)  // only the new message is due; it goes out...
        #expect(try state(fixture, fresh) == .sent)
        // ...and the backlog is due now, not in two minutes; the greylisted row keeps its back-off.
        #expect(worker.deliverBatch() == 4)
        for id in waiting { #expect(try state(fixture, id) == .sent) }
        #expect(try state(fixture, greylisted) == .pending)
        #expect(try fixture.database.read { tx in try tx.outbox.find(id: greylisted) }?.nextAttemptAt
                == clock.now().addingTimeInterval(120))
    }
}
