import ClaveLog
import ClaveTime
import Foundation
import HTTPCore
import Mailer
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Layer 3: one whole SOI recovery with the app's outbox delivering to a real SMTP server
/// (aiosmtpd, `Tests/peers/smtp_peer.py`); the temporary password is read from the message as
/// the server received it.
@Suite("SOI recovery through a real SMTP server", .enabled(if: SMTPPeer.shouldRun))
struct SOISMTPTests {
    /// The real app (as AppHarness builds it) with an SMTP transport instead of the mailbox.
    final class App: @unchecked Sendable {
        let directory: TemporaryDirectory
        let database: Database
        let context: AppContext
        let worker: OutboxWorker
        let server: LiveServer

        init(smtpPort: Int) throws {
            directory = try TemporaryDirectory(prefix: "clave-soi-smtp")
            database = try TestStore.open(in: directory)
            try database.migrate()
            let clock = ClaveTime.ManualClock(followsRealTime: true)
            var quiet = Logger(label: "smtp-test")
            quiet.level = .warning
            let transport = try SMTPTransport(
                client: SMTPClientConfiguration(url: SMTPURL(host: "127.0.0.1", port: smtpPort, security: .none),
                                                ehloName: "clave.test", connectTimeout: 5, ioTimeout: 10),
                composer: MessageComposer(configuration: MailConfiguration(messageIDDomain: "clave.test")), logger: quiet)
            let worker = OutboxWorker(database: database, transport: transport,
                                      configuration: OutboxWorkerConfiguration(idleInterval: 0.2), logger: quiet,
                                      clock: clock)
            self.worker = worker
            let publicURL = try #require(URL(string: "https://soi.clave.test"))
            var configuration = AppConfiguration(mode: .development, publicURL: publicURL, resources: PackagePaths.resources,
                                                 hashCost: .testing, uniformTiming: UniformTiming(floor: 0, jitter: 0),
                                                 reloadTemplates: false)
            configuration.strictTemplates = true
            context = try AppContext(configuration: configuration, database: database, clock: clock, logger: quiet,
                                     wakeOutbox: { worker.wake() })
            try AppHarness.seedDemoUsers(database, hasher: context.hasher, now: clock.now())
            server = try LiveServer(try ClaveApp(context: context),
                                    configuration: HTTPServerConfiguration(eventLoopCount: 1, workerCount: 4))
            worker.start()
        }

        deinit {
            server.stop()
            _ = worker.stop(drainWithin: 2)
        }
    }

    /// Undoes quoted-printable (RFC 2045 §6.7): soft line breaks and `=XX` escapes.
    static func decodedQuotedPrintable(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
        var bytes: [UInt8] = []
        var rest = Array(joined.utf8)[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "="), rest.count >= 2,
               let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                rest = rest.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("Request, temporary password from the delivered mail, forced change, notice delivered, new clave works")
    func journeyOverSMTP() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        defer { peer.stop() }
        let app = try App(smtpPort: peer.port)
        let browser = WebClient(port: app.server.port)
        typealias Demo = AppHarness.Demo

        let answer = try browser.fillAndSubmit("/soi/olvido-clave", SOIRecoveryRoutesTests.forgotFields())
        #expect(answer.status == 200)
        let first = try #require(peer.waitForMessages(1).first)
        #expect(first.recipients == [Demo.soiEmail])
        #expect(first.mailFrom == "soporte@soi.example")
        let message = Self.decodedQuotedPrintable(first.text)
        #expect(message.contains("multipart/alternative"))
        #expect(message.contains("text/plain") && message.contains("text/html"))
        #expect(message.contains("https://soi.clave.test/soi/ingreso"))
        #expect(message.contains("Bogotá: 3808880"))
        let temporary = try SOIFixture.temporaryPassword(in: message)
        #expect(temporary.count == 29)

        // Once delivered, the outbox keeps no body: the temporary password is not in the database.
        let deadline = Date().addingTimeInterval(10)
        while try app.database.read({ tx in try tx.outbox.list(states: [.sent], limit: 10) }).isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let delivered = try #require(try app.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.first)
        #expect(!delivered.textBody.contains(temporary) && !delivered.htmlBody.contains(temporary))

        #expect(try SOIRecoveryRoutesTests.logIn(browser, clave: temporary).location?.hasSuffix("/soi/cambio-clave") == true)
        let changed = try browser.fillAndSubmit("/soi/cambio-clave", [
            "clave_actual": temporary, "clave_nueva": "Planilla Pagada 2026", "clave_confirmacion": "Planilla Pagada 2026"])
        #expect(changed.location?.hasSuffix("/soi/inicio") == true)

        let messages = peer.waitForMessages(2)
        try #require(messages.count == 2)
        let notice = Self.decodedQuotedPrintable(messages[1].text)
        #expect(notice.contains("¿No fue usted?"))
        #expect(!notice.contains(temporary))

        let fresh = WebClient(port: app.server.port)
        #expect(try SOIRecoveryRoutesTests.logIn(fresh, clave: "Planilla Pagada 2026").location?.hasSuffix("/soi/inicio") == true)
        #expect(SOIRecoveryRoutesTests.refused(try SOIRecoveryRoutesTests.logIn(WebClient(port: app.server.port), clave: temporary)))
    }
}
