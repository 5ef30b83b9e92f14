import ClaveTime
import Foundation
import Testing
@testable import Mailer

/// `clave_mail_delivery_failures_total{reason=…}`: every failed attempt is counted once, under
/// the reason an operator acts on.
@Suite("Outbox: delivery failures by reason")
struct DeliveryFailureMetricsTests {
    static let start = Date(timeIntervalSince1970: 1_795_320_000)

    @Test("each outcome maps to one reason, and a delivery to none")
    func reasons() {
        #expect(DeliveryFailureReason(DeliveryResult(id: 1, outcome: .delivered)) == nil)
        #expect(DeliveryFailureReason(DeliveryResult(id: 1, outcome: .temporary("451 try later"))) == .deferred)
        #expect(DeliveryFailureReason(DeliveryResult(id: 1, outcome: .temporary("connect: refused"), serverUnavailable: true)) == .unreachable)
        #expect(DeliveryFailureReason(DeliveryResult(id: 1, outcome: .temporary("535"), sessionRefused: true)) == .sessionRefused)
        #expect(DeliveryFailureReason(DeliveryResult(id: 1, outcome: .permanent("550 no such user"))) == .rejected)
    }

    @Test("the worker counts every failed attempt by reason; every reason is shown from the start")
    func workerCounts() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        let transport = ScriptedTransport { mail in
            switch mail.to.address.prefix(4) {
            case "defe": DeliveryResult(id: mail.id, outcome: .temporary("451 4.3.0 try again later"))
            case "reje": DeliveryResult(id: mail.id, outcome: .permanent("550 5.1.1 mailbox unavailable"))
            case "down": DeliveryResult(id: mail.id, outcome: .temporary("connect: refused"), serverUnavailable: true)
            default: DeliveryResult(id: mail.id, outcome: .delivered)
            }
        }
        let worker = OutboxWorker(database: fixture.database, transport: transport,
                                  configuration: OutboxWorkerConfiguration(retry: RetryPolicy(jitter: 0)), clock: clock)
        #expect(worker.failures.snapshot == ["unreachable": 0, "session_refused": 0, "deferred": 0, "rejected": 0])
        _ = try fixture.enqueue(2, at: clock.now(), prefix: "deferred")
        _ = try fixture.enqueue(1, at: clock.now(), prefix: "rejected")
        _ = try fixture.enqueue(3, at: clock.now(), prefix: "down")
        _ = try fixture.enqueue(4, at: clock.now(), prefix: "ok")
        #expect(worker.deliverBatch() == 10)
        #expect(worker.failures.snapshot == ["unreachable": 3, "session_refused": 0, "deferred": 2, "rejected": 1])
    }
}
