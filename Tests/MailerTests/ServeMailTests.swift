import ClaveCrypto
import Foundation
import Testing
import TestSupport
@testable import Mailer

/// `clave serve` as an operator runs it against a real SMTP server (aiosmtpd with STARTTLS and
/// AUTH): a reset email leaves from the configured mail domain, signed, and dkimpy verifies it
/// as received.
@Suite("clave serve mail through a real SMTP server", .enabled(if: SMTPPeer.shouldRun))
struct ServeMailTests {
    @Test func aResetEmailArrivesFromTheMailDomainDKIMSigned() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        let keyPath = folder.path("dkim.pem")
        try DKIMTests.keyPEM().write(toFile: keyPath, atomically: true, encoding: .utf8)
        let password = MailFixtures.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let smtpURL = "smtp://\(MailFixtures.user):\(password)@127.0.0.1:\(peer.port)?ca=\(certificate.certificatePath)"

        let server = try ServeProcess([
            "--port", "0", "--db", folder.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
            "--access-log", "off", "--smtp-url", smtpURL, "--mail-domain", "clave.test", "--ehlo-name", "mail.clave.test",
            "--dkim-domain", "clave.test", "--dkim-selector", "s2026", "--dkim-key", keyPath])
        defer { server.stop() }

        let answer = try WebClient(port: server.port).fillAndSubmit("/secop/olvide-contrasena", ["usuario": "demo.secop"])
        #expect(answer.status == 200)
        let received = try #require(peer.waitForMessages(1, timeout: 30).first)
        #expect(received.overTLS)
        #expect(received.mailFrom == "registro@clave.test")
        #expect(received.recipients == ["compras@example.com"])
        #expect(received.text.contains("From: SECOP II <registro@clave.test>"))
        #expect(received.text.contains("d=clave.test"))
        let path = folder.path("received.eml")
        try received.raw.write(to: URL(fileURLWithPath: path))
        let publicKey = Data(try RSASigner(pem: DKIMTests.keyPEM()).publicKeyDER()).base64EncodedString()
        #expect(try DKIMPy.verify(path, publicKey) == "ok")
    }
}
