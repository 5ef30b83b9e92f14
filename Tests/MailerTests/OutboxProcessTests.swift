import Foundation
import Testing
import TestSupport
import UserStore
@testable import Mailer

/// The worker as its own process (`clave outbox run`), killed and stopped for real.
@Suite("Outbox worker process", .enabled(if: SMTPPeer.shouldRun))
struct OutboxProcessTests {
    func launch(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(PackagePaths.claveExecutable, arguments, environment: ["CLAVE_LOG_LEVEL": "error"])
    }

    func waitUntil(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }

    @Test("SIGKILL while delivering loses nothing: the next process delivers every message")
    func survivesSIGKILL() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        try peer.queueFaults(Array(repeating: "slow", count: 6))
        try fixture.enqueue(6, at: Date())
        let url = "smtp+plain://127.0.0.1:\(peer.port)"
        let dbPath = fixture.location
        let worker = try launch(["outbox", "run", "--db", dbPath, "--smtp-url", url, "--lease", "2", "--batch", "6"])
        // The first message arrives after its slow DATA; the second is then in flight.
        #expect(peer.waitForMessages(1, timeout: 30).count >= 1)
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .uncaughtSignal)
        let leftOver = try fixture.database.read { tx in try tx.outbox.list(states: [.sending, .pending], limit: 10) }
        #expect(!leftOver.isEmpty, "the kill must land mid-batch for this test to mean anything")

        try peer.queueFaults([])
        Thread.sleep(forTimeInterval: 2.2)  // the dead process's lease
        let second = try launch(["outbox", "deliver", "--db", dbPath, "--smtp-url", url])
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 6)
        // At-least-once: every recipient got the message; a duplicate is possible, a loss is not.
        let recipients = Set(peer.messages().flatMap(\.recipients))
        #expect(recipients == Set((1...6).map { "user\($0)@example.co" }))
    }

    @Test("kill -9 mid-batch: a new process takes the rows back within seconds and re-sends at most the message in flight")
    func killMidBatchResendsAtMostOne() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        // Eight quick acceptances, then the server dawdles 3 s on each DATA: the kill lands
        // after eight messages were accepted, with the ninth in flight (or about to be).
        try peer.queueFaults(Array(repeating: "ok", count: 8) + Array(repeating: "slow", count: 12))
        let count = 20
        try fixture.enqueue(count, at: Date())
        let url = "smtp+plain://127.0.0.1:\(peer.port)"
        let dbPath = fixture.location
        // The default lease and one batch for every message: what production runs.
        let first = try launch(["outbox", "run", "--db", dbPath, "--smtp-url", url, "--batch", String(count)])
        #expect(peer.waitForMessages(8, timeout: 30).count >= 8)
        // The peer keeps a message before it answers 250, so the eighth row is recorded a moment
        // after the peer shows it. Ten seconds is far short of the batch's end (twelve slow
        // answers of 3 s): reaching eight here means each row is recorded as its answer comes.
        let sentRows = { try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 100) }.count }
        let recordedInTime = try waitUntil(timeout: 10) { try sentRows() >= 8 }
        kill(first.processIdentifier, SIGKILL)
        let killedAt = Date()
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let recorded = try sentRows()
        #expect(recordedInTime && recorded >= 8, "each accepted message is recorded as soon as the server answered it")

        try peer.queueFaults([])
        let second = try launch(["outbox", "run", "--db", dbPath, "--smtp-url", url])
        let allSent = try waitUntil(timeout: 60) {
            try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 100) }.count == count
        }
        let takeover = Date().timeIntervalSince(killedAt)
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(allSent)
        // The dead process's short lease (15 s) plus one idle check, not the old 5 minutes.
        #expect(takeover < 30, "rows of the killed process were taken back after \(Int(takeover)) s")

        let received = peer.messages().flatMap(\.recipients)
        let perRecipient = Dictionary(received.map { ($0, 1) }, uniquingKeysWith: +)
        let duplicates = received.count - perRecipient.count
        print("kill -9 mid-batch: \(received.count) messages received for \(perRecipient.count) recipients, "
              + "\(duplicates) duplicate(s), \(recorded) recorded before the kill, taken back after \(String(format: "%.1f", takeover)) s")
        #expect(Set(received) == Set((1...count).map { "user\($0)@example.co" }), "none lost")
        #expect(duplicates <= 1, "only the message in flight may go twice: \(perRecipient.filter { $0.value > 1 })")
    }

    @Test("SIGTERM drains what is due before the process exits")
    func drainsOnSIGTERM() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        let dbPath = fixture.location
        try fixture.database.migrate()
        let worker = try launch(["outbox", "run", "--db", dbPath, "--smtp-url", "smtp+plain://127.0.0.1:\(peer.port)"])
        // Let it reach its idle wait (5 s), then enqueue from "another process" and stop it at once.
        Thread.sleep(forTimeInterval: 1.0)
        try fixture.enqueue(3, at: Date())
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 3)
        #expect(peer.messages().count == 3)
    }

    @Test("clave outbox list shows a dead message's reason but no body; retry puts it back")
    func listAndRetry() throws {
        let fixture = try OutboxFixture()
        let id = try #require(try fixture.enqueue(1, at: Date()).first)
        try fixture.database.write { tx in try tx.outbox.markDead(id: id, reason: "RCPT: 550 5.1.1 unknown", at: Date()) }
        let dbPath = fixture.location

        let (status, output) = try capture(["outbox", "list", "--state", "dead", "--json", "--db", dbPath])
        #expect(status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["last_error"] as? String == "RCPT: 550 5.1.1 unknown")
        #expect(!output.contains("SECRET1"))

        #expect(try capture(["outbox", "retry", String(id), "--db", dbPath]).status == 0)
        #expect(try fixture.database.read { tx in try tx.outbox.find(id: id) }?.state == .pending)
        #expect(try capture(["outbox", "retry", String(id), "--db", dbPath]).status == 1)
        #expect(try capture(["outbox", "list", "--state", "lost", "--db", dbPath]).status == 2)
    }

    func capture(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(PackagePaths.claveExecutable, arguments, environment: ["CLAVE_LOG_LEVEL": "error"])
        return (result.status, result.standardOutput)
    }

    @Test("clave mail test sends through the SMTP URL and reports a refusal")
    func mailTestCommand() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        let url = try MailFixtures.url(for: peer, certificate: certificate)
        let password = MailFixtures.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let urlText = "smtp://\(MailFixtures.user):\(password)@127.0.0.1:\(url.port)?ca=\(certificate.certificatePath)"
        let ok = try launch(["mail", "test", "--to", "staff@example.co", "--db", folder.path("c.sqlite"), "--smtp-url", urlText])
        ok.waitUntilExit()
        #expect(ok.terminationStatus == 0)
        let received = try #require(peer.waitForMessages(1).first)
        #expect(received.recipients == ["staff@example.co"])
        #expect(received.text.contains("Subject: Prueba de correo de Clave"))

        try peer.queueFaults(["550"])
        let refused = try launch(["mail", "test", "--to", "staff@example.co", "--db", folder.path("c.sqlite"), "--smtp-url", urlText])
        refused.waitUntilExit()
        #expect(refused.terminationStatus == 1)
    }
}
