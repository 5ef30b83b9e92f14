import Foundation
import Testing
import TestSupport
@testable import Mailer

/// The SMTP client against a real aiosmtpd server on loopback (Tests/peers/smtp_peer.py).
@Suite("SMTP against aiosmtpd", .enabled(if: SMTPPeer.shouldRun))
struct SMTPLiveTests {
    @Test("STARTTLS + AUTH delivers the exact message: headers, both parts, dot-stuffing, encoded words")
    func deliversOverStartTLS() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        let transport = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate))
        let results = transport.send([try MailFixtures.mail(id: 7)])
        #expect(results == [DeliveryResult(id: 7, outcome: .delivered)])
        let received = try #require(peer.waitForMessages(1).first)
        #expect(received.overTLS)
        #expect(received.mailFrom == "no-responder@clave.test")
        #expect(received.recipients == ["ana@example.co"])
        #expect(received.mailOptions.contains { $0.hasPrefix("SIZE=") })
        let text = received.text
        #expect(text.contains("Subject: =?UTF-8?B?UmVzdGFibGVjZXIgY29udHJhc2XDsWE=?=\r\n"))
        #expect(text.contains("To: =?UTF-8?B?QW5hIE11w7Fveg==?= <ana@example.co>\r\n"))
        #expect(text.contains("From: Clave Cajacopi <no-responder@clave.test>\r\n"))
        #expect(text.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=UTF-8\r\n"))
        #expect(text.contains("Content-Type: text/html; charset=UTF-8\r\n"))
        // After the server un-stuffs the dots, the body is exactly what we encoded.
        #expect(text.contains("Hola Ana,\r\n=2E\r\n=2E.dos puntos\r\n"))
        #expect(text.contains("<p>Hola <b>Ana</b></p>"))
        #expect(peer.authLog() == ["PLAIN tls=1"])
    }

    @Test("AUTH LOGIN when the server does not offer PLAIN")
    func authLogin() throws {
        let folder = try TemporaryDirectory(prefix: "clave-mail-cert")
        let certificate = try TestCertificate.make(in: folder)
        var options = SMTPPeer.Options(certificate: certificate, credentials: (MailFixtures.user, MailFixtures.password))
        options.excludedMechanisms = ["PLAIN"]
        let peer = try SMTPPeer(options)
        let results = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate)).send([try MailFixtures.mail()])
        #expect(results.map(\.outcome) == [.delivered])
        #expect(peer.authLog() == ["LOGIN tls=1"])
    }

    @Test("HELO when the server refuses EHLO")
    func heloFallback() throws {
        var options = SMTPPeer.Options()
        options.refusesEHLO = true
        let peer = try SMTPPeer(options)
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false),
            connectTimeout: 5, ioTimeout: 10))
        try client.open()
        #expect(client.extensions.isEmpty)
        try client.send(from: "a@clave.test", to: "b@example.co", message: Array("Subject: x\r\n\r\nhola\r\n".utf8))
        client.quit()
        #expect(peer.waitForMessages(1).first?.text == "Subject: x\r\n\r\nhola\r\n")
    }

    @Test("lines that start with a dot survive dot-stuffing byte for byte")
    func rawDotStuffing() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: try MailFixtures.url(for: peer, certificate: certificate), connectTimeout: 5, ioTimeout: 10))
        try client.open()
        let body = "Subject: x\r\n\r\n.\r\n..\r\n.hidden\r\nend\r\n"
        try client.send(from: "a@clave.test", to: "b@example.co", message: Array(body.utf8))
        client.quit()
        let received = try #require(peer.waitForMessages(1).first)
        #expect(received.text == body)
    }

    @Test("one connection carries a whole batch")
    func batchOnOneConnection() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        let transport = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate))
        let batch = try (1...5).map { try MailFixtures.mail(id: Int64($0), to: "user\($0)@example.co") }
        let results = transport.send(batch)
        #expect(results.map(\.outcome) == Array(repeating: .delivered, count: 5))
        #expect(peer.waitForMessages(5).map(\.recipients) == (1...5).map { ["user\($0)@example.co"] })
        // One session: one AUTH for five messages.
        #expect(peer.authLog() == ["PLAIN tls=1"])
    }

    @Test("implicit TLS (smtps) and a host name checked against the certificate")
    func implicitTLS() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer(implicitTLS: true)
        defer { withExtendedLifetime(folder) {} }
        let url = try MailFixtures.url(for: peer, certificate: certificate, host: "localhost", scheme: "smtps")
        let results = try MailFixtures.transport(url).send([try MailFixtures.mail()])
        #expect(results.map(\.outcome) == [.delivered])
        #expect(peer.waitForMessages(1).first?.overTLS == true)
    }

    @Test("a certificate from another CA is refused and AUTH never happens")
    func wrongCA() throws {
        let (peer, _, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        let stranger = try TestCertificate.make(in: folder, name: "stranger")
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: try MailFixtures.url(for: peer, certificate: stranger), connectTimeout: 5, ioTimeout: 10))
        #expect {
            try client.open()
        } throws: { error in
            guard case SMTPError.tls(let detail) = error else { return false }
            return detail.contains("certificate")
        }
        #expect(peer.authLog().isEmpty)
        let results = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: stranger)).send([try MailFixtures.mail()])
        guard case .temporary = results.first?.outcome else {
            Issue.record("a TLS failure must be temporary, got \(String(describing: results.first))")
            return
        }
    }

    @Test("a certificate for another host name is refused")
    func wrongHostName() throws {
        let folder = try TemporaryDirectory(prefix: "clave-mail-cert")
        let certificate = try TestCertificate.make(in: folder, commonName: "otro.example")
        // The SAN has IP:127.0.0.1, so connect by a name the certificate does not hold.
        let peer = try SMTPPeer(SMTPPeer.Options(certificate: certificate, credentials: (MailFixtures.user, MailFixtures.password)))
        defer { withExtendedLifetime(folder) {} }
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: try MailFixtures.url(for: peer, certificate: certificate, host: "localhost"), connectTimeout: 5, ioTimeout: 10))
        #expect(throws: SMTPError.self) { try client.open() }
        #expect(peer.authLog().isEmpty)
    }

    @Test("STARTTLS required by the URL but not offered: refused before AUTH")
    func startTLSMissing() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: try MailFixtures.url(for: peer, certificate: nil), connectTimeout: 5, ioTimeout: 10))
        #expect(throws: SMTPError.startTLSUnavailable) { try client.open() }
        #expect(peer.authLog().isEmpty)
    }

    @Test("plain SMTP only when the URL says so, and then without AUTH")
    func explicitPlain() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        let results = try MailFixtures.transport(url).send([try MailFixtures.mail()])
        #expect(results.map(\.outcome) == [.delivered])
        #expect(peer.waitForMessages(1).first?.overTLS == false)
    }

    @Test("a wrong password is a temporary failure (configuration), never a dead message")
    func wrongPassword() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        var url = try MailFixtures.url(for: peer, certificate: certificate)
        url.password = "wrong"
        let results = try MailFixtures.transport(url).send([try MailFixtures.mail()])
        guard case .temporary(let reason) = results.first?.outcome else {
            Issue.record("expected temporary, got \(results)")
            return
        }
        #expect(reason.contains("535"))
        #expect(!reason.contains("wrong"))
    }

    @Test("server down: temporary")
    func serverDown() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        peer.stop()
        let results = try MailFixtures.transport(url).send([try MailFixtures.mail(id: 1), try MailFixtures.mail(id: 2)])
        #expect(results.count == 2)
        for result in results {
            guard case .temporary = result.outcome else {
                Issue.record("expected temporary, got \(result)")
                continue
            }
        }
    }

    @Test("421, 451 are temporary, 550 permanent, a drop during DATA temporary; the batch goes on")
    func faultsInOneBatch() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        defer { withExtendedLifetime(folder) {} }
        try peer.queueFaults(["451", "550", "drop", "ok", "421", "ok"])
        let transport = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate))
        let results = transport.send(try (1...6).map { try MailFixtures.mail(id: Int64($0), to: "u\($0)@example.co") })
        #expect(results.map(\.id) == [1, 2, 3, 4, 5, 6])
        func isTemporary(_ outcome: DeliveryOutcome) -> Bool { if case .temporary = outcome { true } else { false } }
        func isPermanent(_ outcome: DeliveryOutcome) -> Bool { if case .permanent = outcome { true } else { false } }
        #expect(isTemporary(results[0].outcome))
        #expect(isPermanent(results[1].outcome))
        #expect(isTemporary(results[2].outcome))
        #expect(results[3].outcome == .delivered)
        #expect(isTemporary(results[4].outcome))
        #expect(results[5].outcome == .delivered)
        if case .permanent(let reason) = results[1].outcome { #expect(reason.contains("550")) }
        #expect(peer.waitForMessages(2).map(\.recipients) == [["u4@example.co"], ["u6@example.co"]])
    }

    @Test("a server slower than the read timeout is a temporary failure, and the session is dropped")
    func readTimeout() throws {
        let peer = try SMTPPeer(SMTPPeer.Options())
        try peer.queueFaults(["slow"])
        let url = try MailFixtures.url(for: peer, certificate: nil, scheme: "smtp+plain", credentials: false)
        // Only the timeout explains a temporary result: the slow server accepts after 3 s.
        let results = try MailFixtures.transport(url, ioTimeout: 0.5).send([try MailFixtures.mail(id: 1), try MailFixtures.mail(id: 2)])
        #expect(results.first?.outcome == .temporary("timed out waiting for the server"))
        #expect(results.last?.outcome == .delivered)
    }

    @Test("a message over the server's SIZE is refused before DATA, permanently")
    func sizeLimit() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer(sizeLimit: 2000)
        defer { withExtendedLifetime(folder) {} }
        let transport = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate))
        let results = transport.send([try MailFixtures.mail(id: 1, text: String(repeating: "x", count: 5000)),
                                      try MailFixtures.mail(id: 2)])
        guard case .permanent(let reason) = results.first?.outcome else {
            Issue.record("expected permanent, got \(results)")
            return
        }
        #expect(reason.contains("SIZE"))
        #expect(results.last?.outcome == .delivered)
    }
}
