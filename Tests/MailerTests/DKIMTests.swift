import ClaveCrypto
import Foundation
import Testing
import TestSupport
@testable import Mailer

@Suite("DKIM")
struct DKIMTests {
    @Test("relaxed canonicalization matches the RFC 6376 §3.4.5 example")
    func rfcExample() {
        #expect(DKIMCanonicalization.relaxedHeader(name: "A", value: " X") == "a:X\r\n")
        #expect(DKIMCanonicalization.relaxedHeader(name: "B ", value: " Y\t\r\n\tZ  ") == "b:Y Z\r\n")
        let body = " C \r\nD \t E\r\n\r\n\r\n"
        #expect(String(decoding: DKIMCanonicalization.relaxedBody(Array(body.utf8)), as: UTF8.self) == " C\r\nD E\r\n")
        // RFC 6376 §3.4.4: an empty body stays empty; a missing final CRLF is added.
        #expect(DKIMCanonicalization.relaxedBody([]).isEmpty)
        #expect(String(decoding: DKIMCanonicalization.relaxedBody(Array("x".utf8)), as: UTF8.self) == "x\r\n")
    }

    @Test("keys that are not RSA PEM are refused with a typed error")
    func badKeys() {
        #expect(throws: CryptoError.self) { try RSASigner(pem: "not a key") }
        #expect(throws: MailError.self) {
            try DKIMConfiguration(domain: "clave.test\r\n", selector: "s1", signer: RSASigner(pem: Self.keyPEM()))
        }
    }

    @Test("the signature header names the domain, selector, algorithm and signed fields")
    func signatureHeader() throws {
        let signer = try RSASigner(pem: Self.keyPEM())
        let composer = MessageComposer(configuration: MailConfiguration(
            messageIDDomain: "clave.test", dkim: try DKIMConfiguration(domain: "clave.test", selector: "s2026", signer: signer)))
        let message = try composer.compose(try MailFixtures.mail(), date: Date(timeIntervalSince1970: 1_795_320_000))
        let field = try #require(message.headers.first)
        #expect(field.name == "DKIM-Signature")
        #expect(field.value.hasPrefix("v=1; a=rsa-sha256; c=relaxed/relaxed; d=clave.test; s=s2026;"))
        // Oversigned (RFC 6376 §8.15): each present field once more than it occurs, the absent
        // Reply-To, Cc and Content-Transfer-Encoding once; folded before a ":".
        #expect(field.value.replacingOccurrences(of: "\r\n\t:", with: ":").contains(
            "t=1795320000; h=from:from:to:to:subject:subject:date:date:message-id:message-id:reply-to:cc"
                + ":mime-version:mime-version:content-type:content-type:content-transfer-encoding"
                + ":auto-submitted:auto-submitted;"))
        for line in String(decoding: message.bytes, as: UTF8.self).components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
        }
    }

    @Test("dkimpy verifies our signature; a changed body or subject fails it",
          .enabled(if: DKIMPy.shouldRun, DKIMPy.skipReason))
    func independentVerifier() throws {
        let folder = try TemporaryDirectory(prefix: "clave-dkim")
        let signer = try RSASigner(pem: Self.keyPEM())
        let publicKey = Data(try signer.publicKeyDER()).base64EncodedString()
        let composer = MessageComposer(configuration: MailConfiguration(
            messageIDDomain: "clave.test", dkim: try DKIMConfiguration(domain: "clave.test", selector: "s2026", signer: signer)))
        let mail = try MailFixtures.mail(text: "Hola  Ana,\t\n.\nlínea con espacios   \n\n\n", html: "<p>Contraseña</p>")
        let bytes = try composer.compose(mail).bytes
        let path = folder.path("signed.eml")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try DKIMPy.verify(path, publicKey) == "ok")

        var tampered = String(decoding: bytes, as: UTF8.self)
        tampered = tampered.replacingOccurrences(of: "Hola  Ana", with: "Hola  Eve")
        try tampered.write(toFile: folder.path("body.eml"), atomically: true, encoding: .utf8)
        #expect(try DKIMPy.verify(folder.path("body.eml"), publicKey) == "fail")

        let resubject = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "Subject: =?UTF-8?B?", with: "Subject: =?UTF-8?Q?x?= =?UTF-8?B?")
        try resubject.write(toFile: folder.path("subject.eml"), atomically: true, encoding: .utf8)
        #expect(try DKIMPy.verify(folder.path("subject.eml"), publicKey) == "fail")
    }

    @Test("a message signed and sent over SMTP still verifies as received", .enabled(if: SMTPPeer.shouldRun))
    func verifiesAfterTransport() throws {
        let (peer, certificate, folder) = try MailFixtures.startTLSPeer()
        let signer = try RSASigner(pem: Self.keyPEM())
        let dkim = try DKIMConfiguration(domain: "clave.test", selector: "s2026", signer: signer)
        let transport = try MailFixtures.transport(try MailFixtures.url(for: peer, certificate: certificate), dkim: dkim)
        #expect(transport.send([try MailFixtures.mail()]).map(\.outcome) == [.delivered])
        let received = try #require(peer.waitForMessages(1).first)
        let path = folder.path("received.eml")
        try received.raw.write(to: URL(fileURLWithPath: path))
        #expect(try DKIMPy.verify(path, Data(try signer.publicKeyDER()).base64EncodedString()) == "ok")
    }

    /// A fresh 2048-bit RSA key from the `openssl` command, once per test process.
    static func keyPEM() throws -> String {
        try keyLock.withLock {
            if let key = cachedKey { return key }
            let folder = try TemporaryDirectory(prefix: "clave-dkim-key")
            let path = folder.path("key.pem")
            try run("/usr/bin/env", ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path])
            let key = try String(contentsOfFile: path, encoding: .utf8)
            cachedKey = key
            return key
        }
    }

    nonisolated(unsafe) private static var cachedKey: String?
    private static let keyLock = NSLock()

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try ChildProcess.run(URL(fileURLWithPath: executable), arguments)
        if result.status != 0 { throw PeerError("\(arguments.first ?? executable) failed") }
        return result.standardOutput
    }
}
