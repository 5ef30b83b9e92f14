import Foundation
import HTTPCore
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// `/readyz`: ready while the database reads and mail flows; not ready, saying why, once the
/// oldest undelivered message has waited past the limit.
@Suite struct ReadinessTests {
    static func message(_ to: String) -> NewOutboxMessage {
        NewOutboxMessage(portal: "secop", sender: "SECOP II <registro@secop.example>", recipient: to,
                         subject: "Prueba", textBody: "hola", htmlBody: "<p>hola</p>")
    }

    @Test func readyUntilTheOldestMessageWaitsPastTheLimitThenSaysWhy() throws {
        // A database of its own: no outbox worker delivers behind the test's back.
        let directory = try TemporaryDirectory(prefix: "readiness")
        let database = try TestStore.open(in: directory)
        try database.migrate()
        let readiness = Readiness(database: database, mailStallLimit: 600, warnings: ["mail is sent without DKIM (--no-dkim)"])
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var answer = readiness.response(now: start)
        #expect(answer.status == .ok)
        #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix("ready\ndatabase: ok (schema "))
        #expect(String(decoding: answer.body, as: UTF8.self).contains("warning: mail is sent without DKIM (--no-dkim)"))
        #expect(answer.headers["Cache-Control"] == "no-store")

        let id = try database.write { tx in try tx.outbox.enqueue(Self.message("ana@example.com"), now: start) }
        #expect(readiness.response(now: start.addingTimeInterval(599)).status == .ok, "a fresh message is normal")
        answer = readiness.response(now: start.addingTimeInterval(16 * 60))
        #expect(answer.status == .serviceUnavailable)
        let text = String(decoding: answer.body, as: UTF8.self)
        #expect(text.hasPrefix("not ready\n"))
        #expect(text.contains("mail: 1 waiting, the oldest for 16 min; no attempt yet"))

        try database.write { tx in
            try tx.outbox.markRetry(id: id, error: "535 5.7.8 authentication failed", nextAttemptAt: start.addingTimeInterval(20 * 60))
        }
        #expect(String(decoding: readiness.response(now: start.addingTimeInterval(16 * 60)).body, as: UTF8.self)
            .contains("last error: 535 5.7.8 authentication failed"))
        try database.write { tx in try tx.outbox.markSent(id: id, at: start.addingTimeInterval(17 * 60)) }
        #expect(readiness.response(now: start.addingTimeInterval(17 * 60)).status == .ok)
    }

    @Test func thePublicListenerAnswersReadyz() throws {
        let harness = try AppHarness()
        let answer = try harness.browser().get("/readyz")
        #expect(answer.status == 200)
        #expect(answer.text.hasPrefix("ready\n"))
    }
}
