import ClaveLog
import Foundation
import HTTPCore
import Mailer
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// SECOP II's emails as a person receives them: through the outbox worker into the
/// development mailbox (read over its JSON API), and through a real SMTP server (aiosmtpd).
@Suite struct SECOPMailDeliveryTests {
    /// The app on a live server with an outbox worker delivering through `route`.
    final class DeliveringApp: @unchecked Sendable {
        let fixture: SECOPFixture
        let worker: OutboxWorker
        let server: LiveServer

        init(route: MailRoute) throws {
            fixture = try SECOPFixture()
            let quiet = Logger(label: "test", sink: .discard)
            let transport = try route.makeTransport(database: fixture.database,
                                                    composer: MessageComposer(configuration: MailConfiguration()), logger: quiet)
            let worker = OutboxWorker(database: fixture.database, transport: transport, logger: quiet)
            self.worker = worker
            var configuration = AppConfiguration(publicURL: try #require(URL(string: "http://clave.example.co:8080")),
                                                 resources: PackagePaths.resources, hashCost: .testing,
                                                 uniformTiming: UniformTiming(floor: 0.01, jitter: 0))
            configuration.strictTemplates = true
            let context = try AppContext(configuration: configuration, database: fixture.database, logger: quiet,
                                         wakeOutbox: { worker.wake() })
            server = try LiveServer(try ClaveApp(context: context))
            worker.start()
        }

        deinit {
            _ = worker.stop(drainWithin: 5)
            server.stop()
        }

        /// The mailbox API's messages to `address`, newest first, once `count` have arrived.
        func mailbox(to address: String, count: Int) throws -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(20)
            while true {
                let web = SECOPWebClient(server: server)
                let response = try web.get("/_correo/api/mensajes?para=" + SECOPWebClient.escape(address))
                let items = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
                if items.count >= count || Date() > deadline { return items }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        /// The outbox rows recorded as sent, once `count` have been (or the deadline passes).
        func sentRows(count: Int) throws -> [OutboxMessage] {
            let deadline = Date().addingTimeInterval(20)
            while true {
                let sent = try fixture.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }
                if sent.count >= count || Date() > deadline { return sent }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// The change link in a text body.
    static func link(in text: String) -> String? {
        guard let start = text.range(of: "http://clave.example.co:8080/secop/cambiar-contrasena?token=") else { return nil }
        return String(text[start.lowerBound...].prefix { !$0.isWhitespace })
    }

    @Test func theWholeFlowReadingMailFromTheDevelopmentMailboxAPI() throws {
        let app = try DeliveringApp(route: .developmentMailbox)
        try app.fixture.addUser("ana.perez", email: "ana@example.com")
        try app.fixture.addUser("ana.contratos", email: "ana@example.com")
        let web = SECOPWebClient(server: app.server)

        try web.get("/secop/olvide-usuario")
        #expect(try web.post("/secop/olvide-usuario", [("correo", "ana@example.com")]).status == 200)
        let reminder = try #require(try app.mailbox(to: "ana@example.com", count: 1).first)
        #expect(reminder["subject"] as? String == "SECOP II - Recordar nombre de usuario")
        #expect((reminder["text"] as? String)?.contains("- ana.perez") == true)
        #expect((reminder["text"] as? String)?.contains("- ana.contratos") == true)

        try web.get("/secop/olvide-contrasena")
        #expect(try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")]).status == 200)
        let resetMail = try #require(try app.mailbox(to: "ana@example.com", count: 2).first)
        #expect(resetMail["from"] as? String == "SECOP II <registro@secop.example>")
        let text = try #require(resetMail["text"] as? String)
        let html = try #require(resetMail["html"] as? String)
        let link = try #require(Self.link(in: text))
        #expect(SECOPFixture.unescaped(html).contains("href=\"\(link)\""))
        let path = String(link.dropFirst("http://clave.example.co:8080".count))

        let form = try web.get(path)
        #expect(form.text.contains("Nombre de usuario: <strong id=\"nombre-usuario\">ana.perez</strong>"))
        let done = try web.post("/secop/cambiar-contrasena", [("token", try #require(SECOPWebClient.field("token", in: form.text))),
                                                              ("contrasena_nueva", "Girasol marino 2026!"),
                                                              ("contrasena_confirmacion", "Girasol marino 2026!")])
        #expect(done.status == 200)
        let notice = try #require(try app.mailbox(to: "ana@example.com", count: 3).first)
        #expect(notice["subject"] as? String == "SECOP II - Su contraseña fue cambiada")
        #expect((notice["text"] as? String)?.contains("¿No fue usted?") == true)
        // Once delivered, the outbox keeps no link. The mailbox shows a message before the worker
        // records it as sent (the outcome is its own write), so wait for the third record.
        let sent = try app.sentRows(count: 3)
        #expect(sent.count == 3)
        #expect(sent.allSatisfy { $0.textBody.isEmpty && $0.htmlBody.isEmpty })
    }

    @Test(.enabled(if: SMTPPeer.shouldRun, "needs aiosmtpd in .venv (bash scripts/deps.sh)"))
    func theResetEmailReachesARealSMTPServer() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        defer { peer.stop() }
        let route = try MailRoute.choose(smtpURL: try SMTPURL(parsing: "smtp+plain://127.0.0.1:\(peer.port)"), developmentMode: true)
        let app = try DeliveringApp(route: route)
        try app.fixture.addUser("gongoragabriela", email: "gabriela@example.com")
        let web = SECOPWebClient(server: app.server)
        try web.get("/secop/olvide-contrasena")
        #expect(try web.post("/secop/olvide-contrasena", [("usuario", "gongoragabriela")]).status == 200)

        let message = try #require(peer.waitForMessages(1).first)
        #expect(message.recipients == ["gabriela@example.com"])
        #expect(message.mailFrom == "registro@secop.example")
        let raw = message.text
        #expect(raw.contains("multipart/alternative"))
        #expect(raw.contains("text/plain"))
        #expect(raw.contains("text/html"))
        let decoded = Self.quotedPrintableDecoded(raw)
        #expect(decoded.contains("Haga clic aquí para cambiar la contraseña de usuario gongoragabriela"))
        #expect(decoded.contains("Nosotros nunca le solicitamos datos personales por correo electrónico."))
        let link = try #require(Self.link(in: decoded))
        let path = String(link.dropFirst("http://clave.example.co:8080".count))
        let form = try web.get(path)
        #expect(form.status == 200)
        #expect(form.text.contains("gongoragabriela"))
    }

    /// RFC 2045 §6.7 quoted-printable, enough to read a message: soft breaks and `=XX` bytes.
    static func quotedPrintableDecoded(_ text: String) -> String {
        let bytes = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
