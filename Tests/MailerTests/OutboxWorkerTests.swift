import Foundation
import Testing
import TestSupport
import UserStore
import ClaveTime
@testable import Mailer

/// A real SQLite file in a temporary folder (or a PostgreSQL database: ``TestStore``), migrated.
struct OutboxFixture {
    let folder: TemporaryDirectory
    /// What `--db` takes for it, for `clave outbox` child processes.
    let location: String
    let database: Database

    init() throws {
        folder = try TemporaryDirectory(prefix: "clave-outbox")
        location = try TestStore.newLocation(in: folder)
        database = try Database(location: DatabaseLocation(location))
        try database.migrate()
    }

    @discardableResult
    func enqueue(_ count: Int, at now: Date, prefix: String = "user") throws -> [Int64] {
        try (1...count).map { index in
            try database.write { tx in try tx.outbox.enqueue(NewOutboxMessage(
                                              portal: "secop", sender: "SECOP II <registro@clave.test>", recipient: "\(prefix)\(index)@example.co",
                                              subject: "Restablecer contraseña", textBody: "Su enlace: https://clave.test/secop/cambiar-contrasena?token=SECRET\(index)",
                                              htmlBody: "<a href=\"https://clave.test/secop/cambiar-contrasena?token=SECRET\(index)\">Cambiar</a>"), now: now) }
        }
    }
}

@Suite("Outbox worker against SQLite and aiosmtpd", .enabled(if: SMTPPeer.shouldRun))
struct OutboxWorkerTests {
    static let policy = RetryPolicy(base: 30, factor: 2, cap: 600, jitter: 0.2, maximumAttempts: 4)

    func worker(_ fixture: OutboxFixture, _ transport: any MailTransport, clock: ManualClock) -> OutboxWorker {
        OutboxWorker(database: fixture.database, transport: transport,
                     configuration: OutboxWorkerConfiguration(batchSize: 10, lease: 60, idleInterval: 0.2, retry: Self.policy),
                     clock: clock, random: { 0.5 })
    }

    @Test("delivered rows are marked sent and their bodies scrubbed")
    func deliversAndScrubs() throws {
        let fixture = try OutboxFixture()
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let ids = try fixture.enqueue(3, at: clock.now())
        let worker = worker(fixture, try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate)), clock: clock)
        #expect(worker.deliverBatch() == 3)
        #expect(peer.waitForMessages(3).count == 3)
        for id in ids {
            let row = try #require(try fixture.database.read { tx in try tx.outbox.find(id: id) })
            #expect(row.state == .sent)
            #expect(row.textBody.isEmpty && row.htmlBody.isEmpty)
            #expect(row.sentAt != nil)
        }
        // The link travelled in the message, quoted-printable encoded ("=" is "=3D").
        #expect(peer.messages().contains { $0.text.contains("token=3DSECRET1") })
        #expect(peer.messages().first?.text.contains("From: SECOP II <registro@clave.test>") == true)
        #expect(worker.deliverBatch() == 0)
    }

    @Test("once delivered, no reset link survives anywhere on disk: not in the file, its -wal or its -shm",
          .enabled(if: TestStore.isSQLite))
    func noSecretSurvivesDeliveryOnDisk() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        try fixture.enqueue(3, at: clock.now())
        // A long HTML body lives in overflow pages, which the scrub frees: their bytes too must go.
        let long = String(repeating: "<p>Haga clic en el enlace https://clave.test/secop/cambiar-contrasena?token=SECRETLONG</p>", count: 200)
        try fixture.database.write { tx in try tx.outbox.enqueue(NewOutboxMessage(
            portal: "secop", sender: "SECOP II <registro@clave.test>", recipient: "largo@example.co",
            subject: "Restablecer contraseña", textBody: "token=SECRETLONG", htmlBody: long), now: clock.now()) }
        let path = fixture.database.path
        // Under load SQLite checkpoints on its own (every 1,000 WAL pages), so the rows may be
        // in the file itself before the scrub: make it so here.
        try fixture.database.checkpointAndTruncate()
        // Before delivery the links are on disk (so the search below can find them).
        let before = try [path, path + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(before.contains { $0.range(of: Data("token=SECRET1".utf8)) != nil })
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        #expect(worker(fixture, try MailFixtures.transport(url), clock: clock).deliverBatch() == 4)
        #expect(peer.waitForMessages(4).count == 4)
        for file in [path, path + "-wal", path + "-shm"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(bytes.range(of: Data("SECRET".utf8)) == nil, "a link is still readable in \(file)")
            #expect(bytes.range(of: Data("cambiar-contrasena".utf8)) == nil, "a link is still readable in \(file)")
        }
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 4)
    }

    /// A worker whose SMTP server has gone (its port refuses connections), and that port, where a
    /// new peer can come back.
    func workerFacingStoppedServer(_ fixture: OutboxFixture, clock: ManualClock) throws -> (port: Int, worker: OutboxWorker) {
        let gone = try SMTPPeer(SMTPPeer.Options())
        let url = try MailFixtures.url(for: gone, certificate: nil, scheme: "smtp+plain", credentials: false)
        gone.stop()
        return (gone.port, worker(fixture, try MailFixtures.transport(url), clock: clock))
    }

    @Test("server down, then back: every message is delivered after the back-off, none lost")
    func survivesOutage() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let (port, worker) = try workerFacingStoppedServer(fixture, clock: clock)
        let ids = try fixture.enqueue(4, at: clock.now())
        #expect(worker.deliverBatch() == 4)
        for id in ids {
            let row = try #require(try fixture.database.read { tx in try tx.outbox.find(id: id) })
            #expect(row.state == .pending && row.attempts == 1 && row.lastError != nil)
            // Jitter fixed at its midpoint: exactly the base delay.
            #expect(row.nextAttemptAt == clock.now().addingTimeInterval(30))
        }
        #expect(worker.deliverBatch() == 0)  // not due yet

        let second = try SMTPPeer(SMTPPeer.Options(port: port))
        clock.advance(by: 31)
        #expect(worker.deliverBatch() == 4)
        #expect(Set(second.waitForMessages(4).flatMap(\.recipients)) == Set((1...4).map { "user\($0)@example.co" }))
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 4)
    }

    @Test("server down, then back: the first message that goes through brings the backlog forward")
    func outageBacklogGoesWithFirstSuccess() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let (port, worker) = try workerFacingStoppedServer(fixture, clock: clock)
        let ids = try fixture.enqueue(4, at: clock.now())
        #expect(worker.deliverBatch() == 4)  // connection refused: all four back off 30 s

        let second = try SMTPPeer(SMTPPeer.Options(port: port))
        try fixture.enqueue(1, at: clock.now(), prefix: "fresh")
        #expect(worker.deliverBatch() == 1)
        #expect(worker.deliverBatch() == 4, "the backlog is due at once, not after its 30 s back-off")
        #expect(Set(second.waitForMessages(5).flatMap(\.recipients)).count == 5)
        for id in ids { #expect(try fixture.database.read { tx in try tx.outbox.find(id: id) }?.state == .sent) }
    }

    @Test("over one SMTP session, a message's outcome is recorded while the next one is still on the wire")
    func recordsOutcomeBeforeNextMessage() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        try peer.queueFaults(["ok", "slow"])  // the second DATA is answered after 3 s
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let ids = try fixture.enqueue(2, at: clock.now())
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        let worker = worker(fixture, try MailFixtures.transport(url), clock: clock)
        let done = DispatchSemaphore(value: 0)
        Thread { worker.deliverBatch(); done.signal() }.start()
        #expect(peer.waitForMessages(1).count == 1)
        var firstRecorded = false
        let deadline = Date().addingTimeInterval(2.5)
        while Date() < deadline, peer.messages().count == 1 {
            if try fixture.database.read({ tx in try tx.outbox.find(id: ids[0]) })?.state == .sent {
                firstRecorded = true
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(firstRecorded, "message 1 must be recorded as sent while message 2 waits for its answer")
        #expect(try fixture.database.read { tx in try tx.outbox.find(id: ids[1]) }?.state == .sending)
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 2)
    }

    @Test("421 and 451 are retried until delivered; 550 ends dead with its reason in the audit log")
    func temporaryAndPermanentReplies() throws {
        let fixture = try OutboxFixture()
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        try peer.queueFaults(["421", "451", "550", "drop"])
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let ids = try fixture.enqueue(5, at: clock.now())
        let worker = worker(fixture, try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate)), clock: clock)
        for _ in 0..<6 {
            worker.deliverBatch()
            clock.advance(by: 700)
        }
        let dead = try fixture.database.read { tx in try tx.outbox.list(states: [.dead], limit: 10) }
        #expect(dead.count == 1)
        #expect(dead.first?.lastError?.contains("550") == true)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 4)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.pending, .sending], limit: 10) }.isEmpty)
        let deadRecipient = try #require(dead.first?.recipient)
        let delivered = Set(peer.waitForMessages(4).flatMap(\.recipients))
        #expect(delivered == Set(ids.indices.map { "user\($0 + 1)@example.co" }).subtracting([deadRecipient]))
        let audit = try fixture.database.read { tx in
            try tx.auditLog.recent(limit: 1_000).map { $0.event + " " + $0.detail }
        }
        #expect(audit.contains { $0.hasPrefix("outbox.dead") && $0.contains("550") })
    }

    @Test("too many temporary failures end dead with the last reason")
    func givesUp() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let peer = try SMTPPeer(SMTPPeer.Options())
        try peer.queueFaults(Array(repeating: "451", count: 10))
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        let id = try #require(try fixture.enqueue(1, at: clock.now()).first)
        let worker = worker(fixture, try MailFixtures.transport(url), clock: clock)
        var delays: [TimeInterval] = []
        for _ in 0..<Self.policy.maximumAttempts {
            worker.deliverBatch()
            if let row = try fixture.database.read({ tx in try tx.outbox.find(id: id) }), row.state == .pending {
                delays.append(row.nextAttemptAt.timeIntervalSince(clock.now()))
            }
            clock.advance(by: 10_000)
        }
        #expect(delays == [30, 60, 120])
        let row = try #require(try fixture.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .dead)
        #expect(row.attempts == 4)
        #expect(row.lastError?.contains("gave up after 4 attempts") == true)
        #expect(row.lastError?.contains("451") == true)
        #expect(try fixture.database.write { tx in try tx.outbox.retry(id: id, now: clock.now()) })
    }

    @Test("the thread wakes at once on enqueue and drains on stop")
    func threadWakesAndDrains() throws {
        let fixture = try OutboxFixture()
        let peer = try SMTPPeer(SMTPPeer.Options())
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        let worker = OutboxWorker(database: fixture.database, transport: try MailFixtures.transport(url),
                                  configuration: OutboxWorkerConfiguration(idleInterval: 60))
        worker.start()
        try fixture.enqueue(1, at: Date())
        let started = Date()
        worker.wake()
        #expect(peer.waitForMessages(1, timeout: 10).count == 1)
        // Idle interval is a minute: only wake() explains a delivery this fast.
        #expect(Date().timeIntervalSince(started) < 30)

        try fixture.enqueue(3, at: Date(), prefix: "late")
        #expect(worker.stop(drainWithin: 20))
        #expect(peer.messages().count == 4)
        #expect(try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.count == 4)
    }

    @Test("a row claimed by a process that died is claimed again after its lease")
    func leaseExpiry() throws {
        let fixture = try OutboxFixture()
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let peer = try SMTPPeer(SMTPPeer.Options())
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        try fixture.enqueue(2, at: clock.now())
        // A "process" claims and dies before recording anything.
        #expect(try fixture.database.write { tx in try tx.outbox.claimDue(now: clock.now(), limit: 10, lease: 60) }.count == 2)
        let worker = worker(fixture, try MailFixtures.transport(url), clock: clock)
        #expect(worker.deliverBatch() == 0)
        clock.advance(by: 61)
        #expect(worker.deliverBatch() == 2)
        #expect(peer.waitForMessages(2).count == 2)
    }
}

@Suite("Development mailbox")
struct DevelopmentMailboxTests {
    @Test("the worker delivers into the SQLite mailbox with the raw MIME source")
    func deliversToMailbox() throws {
        let fixture = try OutboxFixture()
        let transport = DevelopmentMailbox(database: fixture.database, composer: MessageComposer(
            configuration: MailConfiguration(messageIDDomain: "clave.test")))
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_320_000))
        let ids = try fixture.enqueue(2, at: clock.now())
        let worker = OutboxWorker(database: fixture.database, transport: transport, clock: clock)
        #expect(worker.deliverBatch() == 2)
        let stored = try fixture.database.read { tx in try tx.mailbox.list(recipient: "user1@example.co", limit: 10) }
        #expect(stored.count == 1)
        let message = try #require(stored.first)
        #expect(message.subject == "Restablecer contraseña")
        #expect(message.textBody.contains("token=SECRET1"))
        #expect(message.rawSource.contains("Subject: =?UTF-8?B?UmVzdGFibGVjZXIgY29udHJhc2XDsWE=?=\r\n"))
        #expect(message.rawSource.contains("Content-Type: multipart/alternative;"))
        for id in ids { #expect(try fixture.database.read { tx in try tx.outbox.find(id: id) }?.state == .sent) }
    }

    @Test("a row with a forged address ends dead, never sent")
    func refusesInjection() throws {
        let fixture = try OutboxFixture()
        let transport = DevelopmentMailbox(database: fixture.database, composer: MessageComposer(
            configuration: MailConfiguration(messageIDDomain: "clave.test")))
        let id = try fixture.database.write { tx in try tx.outbox.enqueue(NewOutboxMessage(
                                          portal: "soi", sender: "soi@clave.test", recipient: "ana@example.co\r\nBcc: x@evil.co",
                                          subject: "x", textBody: "x", htmlBody: "x"), now: Date()) }
        let worker = OutboxWorker(database: fixture.database, transport: transport)
        #expect(worker.deliverBatch() == 1)
        let row = try #require(try fixture.database.read { tx in try tx.outbox.find(id: id) })
        #expect(row.state == .dead)
        #expect(row.lastError?.contains("invalid address") == true)
        #expect(try fixture.database.read { tx in try tx.mailbox.list(recipient: nil, limit: 10) }.isEmpty)
    }
}
