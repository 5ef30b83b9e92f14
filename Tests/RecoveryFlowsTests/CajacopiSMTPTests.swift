import Foundation
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// The Cajacopi journey with mail delivered by the outbox worker to a real SMTP server
/// (aiosmtpd, `Tests/peers/smtp_peer.py`), the link read from the message as received.
@Suite("Cajacopi recovery through a real SMTP server", .enabled(if: SMTPPeer.shouldRun))
struct CajacopiSMTPTests {
    /// Undoes quoted-printable (RFC 2045 §6.7): soft line breaks and `=XX` escapes.
    static func decodeQuotedPrintable(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
        var bytes: [UInt8] = []
        var utf8 = Array(joined.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "="), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("request, link from the delivered email, new password, confirmation delivered")
    func journeyOverSMTP() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        defer { peer.stop() }
        let harness = try CajacopiHarness(smtpPort: peer.port, transport: .socket)
        try harness.addUser(email: "smtp.user@example.com")
        let browser = harness.browser()
        #expect(try browser.requestCajacopiReset(email: "smtp.user@example.com").status == 200)

        let first = try #require(peer.waitForMessages(1).first)
        #expect(first.recipients == ["smtp.user@example.com"])
        let message = Self.decodeQuotedPrintable(first.text)
        #expect(message.contains("multipart/alternative"))
        #expect(message.contains("text/plain"))
        #expect(message.contains("text/html"))
        #expect(message.contains("el proceso de verificación de usuario se realizó correctamente"))
        let prefix = CajacopiHarness.publicURL + "/cajacopi/nueva-contrasena?token="
        let range = try #require(message.range(of: prefix))
        let token = String(message[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(token.count == 43)

        // Once delivered, the outbox keeps no body: no link stays in the database.
        let deadline = Date().addingTimeInterval(10)
        while try harness.database.read({ tx in try tx.outbox.list(states: [.sent], limit: 10) }).isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let delivered = try #require(try harness.database.read { tx in try tx.outbox.list(states: [.sent], limit: 10) }.first)
        #expect(!delivered.textBody.contains(token) && !delivered.htmlBody.contains(token))

        let form = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        #expect(form.status == 200)
        let changed = try browser.post("/cajacopi/nueva-contrasena", [
            ("csrf", try #require(form.field("csrf"))), ("token", token),
            ("contrasena_nueva", "Tinaja-Roja-38"), ("contrasena_confirmacion", "Tinaja-Roja-38"),
        ])
        #expect(changed.status == 200)
        let received = peer.waitForMessages(2)
        #expect(received.count == 2)
        let confirmation = Self.decodeQuotedPrintable(try #require(received.last).text)
        #expect(confirmation.contains("¿No fue usted?"))
    }
}
