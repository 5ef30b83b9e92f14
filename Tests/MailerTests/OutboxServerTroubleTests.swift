import ClaveLog
import ClaveTime
import Foundation
import Testing
import TestSupport
import UserStore
@testable import Mailer

/// A server that will not open a session (AUTH 535, TLS refused) is not hammered, gives no
/// message up, and is reported once a minute at most; the first delivery after it sends the lot.
@Suite("Outbox: a server that refuses sessions")
struct OutboxServerTroubleTests {
    static let start = Date(timeIntervalSince1970: 1_795_320_000)
    static let refused = "AUTH PLAIN: 535 5.7.8 Authentication credentials invalid"

    @Test("a day of AUTH 535 under steady traffic: sessions back off to about hourly, nothing dies, one warning a minute at most")
    func authenticationFailuresAreBoundedAndQuiet() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Self.start)
        let serverAccepts = Locked(false)
        let transport = ScriptedTransport { mail in
            serverAccepts.withLock { $0 } ? DeliveryResult(id: mail.id, outcome: .delivered)
                : DeliveryResult(id: mail.id, outcome: .temporary(Self.refused), sessionRefused: true)
        }
        let warnings = Locked<[Date]>([])
        let logger = Logger(label: "outbox", level: .warning, sink: Logger.Sink { line in
            if line.contains("outbox cannot deliver") { warnings.withLock { $0.append(clock.now()) } }
        })
        let worker = OutboxWorker(database: fixture.database, transport: transport,
                                  configuration: OutboxWorkerConfiguration(batchSize: 50, leaseRenewal: 60, retry: RetryPolicy(jitter: 0)),
                                  logger: logger, clock: clock)
        var sessions = 0
        var enqueued = 0
        // A request every 10 minutes enqueues a message; the worker is woken every minute.
        for minute in 0..<(24 * 60) {
            if minute % 10 == 0 { enqueued += try fixture.enqueue(1, at: clock.now(), prefix: "m\(minute)-").count }
            if worker.deliverBatch() > 0 { sessions += 1 }
            clock.advance(by: 60)
        }
        let rows = try fixture.database.read { tx in try tx.outbox.list(states: nil, limit: 1_000) }
        #expect(rows.count == enqueued)
        #expect(rows.allSatisfy { $0.state == .pending }, "no message is given up for the server's fault")
        #expect(sessions <= 30, "\(sessions) sessions in a day: backed off to about one an hour")
        let logged = warnings.withLock { $0 }
        #expect(!logged.isEmpty)
        #expect(zip(logged, logged.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 60 }, "one warning a minute at most")
        #expect(logged.count <= sessions)

        // The password is fixed: the next session sends everything, at once.
        serverAccepts.withLock { $0 = true }
        clock.advance(by: 3600)
        while worker.deliverBatch() > 0 {}
        let after = try fixture.database.read { tx in try tx.outbox.list(states: nil, limit: 1_000) }
        #expect(after.allSatisfy { $0.state == .sent }, "\(after.filter { $0.state != .sent }.count) not sent")
        #expect(worker.serverRetryAt == nil)
    }

    @Test("the warning counts the failed sessions since the last one")
    func warningsAreSummaries() {
        var trouble = ServerTrouble()
        let policy = RetryPolicy(base: 20, factor: 2, cap: 3600, jitter: 0)
        let first = trouble.sessionFailed(at: Self.start, reason: "535", waiting: 3, policy: policy, unitRandom: 0.5)
        #expect(first?.contains("1 time(s) since the last report (1 in a row): 535; 3 message(s) stay queued, next try in 20 s") == true)
        #expect(!trouble.allowsSession(at: Self.start.addingTimeInterval(19)))
        #expect(trouble.allowsSession(at: Self.start.addingTimeInterval(20)))
        #expect(trouble.sessionFailed(at: Self.start.addingTimeInterval(20), reason: "535", waiting: 3, policy: policy, unitRandom: 0.5) == nil)
        let third = trouble.sessionFailed(at: Self.start.addingTimeInterval(60), reason: "535", waiting: 4, policy: policy, unitRandom: 0.5)
        #expect(third?.contains("2 time(s) since the last report (3 in a row)") == true)
        trouble.delivered()
        #expect(trouble.allowsSession(at: Self.start) && trouble.retryAt == nil)
    }

    @Test("a refused login or TLS is the operator's to fix; a refused connection or a 4xx is an outage")
    func whichSessionFailuresAreConfiguration() {
        let refusedLogin = SMTPReply(code: 535, lines: ["5.7.8 Authentication credentials invalid"])
        #expect(SMTPError.unexpectedReply(command: "AUTH PLAIN", reply: refusedLogin).isConfigurationFault)
        #expect(SMTPError.tls("handshake failed").isConfigurationFault)
        #expect(SMTPError.startTLSUnavailable.isConfigurationFault)
        #expect(SMTPError.authenticationUnavailable.isConfigurationFault)
        #expect(!SMTPError.connectionFailed("refused").isConfigurationFault)
        #expect(!SMTPError.timeout.isConfigurationFault)
        #expect(!SMTPError.unexpectedReply(command: "MAIL FROM", reply: SMTPReply(code: 451, lines: ["try later"])).isConfigurationFault)
        #expect(DeliveryResult(id: 1, outcome: .temporary("535"), sessionRefused: true).serverUnavailable)
    }
}
