import ClaveCrypto
import Foundation
import Testing
import TestSupport
@testable import Mailer

/// RFC 6376 §8.15: a signature that lists each field once more than it occurs (and a missing
/// field once) breaks when a field is added in transit, so nobody can put a Reply-To, a Cc or a
/// second Subject or From on a message and keep our domain's signature on it.
@Suite("DKIM oversigning")
struct DKIMOversigningTests {
    /// What a relay or an attacker does to a signed message on its way.
    enum Tampering: String, CaseIterable, CustomTestStringConvertible {
        case addedReplyTo, addedCc, secondSubjectPrepended, secondFromPrepended, changedBody

        var testDescription: String { rawValue }

        func apply(to message: String) -> String {
            let end = message.range(of: "\r\n\r\n")?.lowerBound ?? message.endIndex
            let headers = String(message[..<end]) + "\r\n"
            let rest = message[end...].dropFirst()  // "\r\n" is one Character: the blank line stays
            switch self {
            case .addedReplyTo:
                return headers + "Reply-To: soporte@evil.example\r\n" + rest
            case .addedCc:
                return headers + "Cc: espia@evil.example\r\n" + rest
            case .secondSubjectPrepended:
                return "Subject: Urgente: confirme su clave en evil.example\r\n" + message
            case .secondFromPrepended:
                return "From: Banco <seguridad@evil.example>\r\n" + message
            case .changedBody:
                return message.replacingOccurrences(of: "https://clave.test/", with: "https://evil.example/")
            }
        }
    }

    static let headers: [(name: String, value: String)] = [
        ("From", "Clave <no-responder@clave.test>"), ("To", "ana@example.co"), ("Received", "by a"),
        ("Subject", "Restablecer"), ("received", "by b"),
    ]

    @Test("each field is listed once more than it occurs, an absent one once, repeats in the set ignored")
    func oversignedNames() {
        let selection = DKIMHeaderSelection(oversigning: ["From", "Received", "Reply-To", "FROM"], in: Self.headers)
        #expect(selection.names == ["from", "from", "received", "received", "received", "reply-to"])
        // The null instances add nothing: the same bytes as signing each present field once.
        #expect(selection.canonicalHeaders == "from:Clave <no-responder@clave.test>\r\nreceived:by b\r\nreceived:by a\r\n")
    }

    @Test("RFC 6376 §5.4.2: instances are taken from the bottom up, extra names take nothing")
    func bottomUp() {
        let selection = DKIMHeaderSelection(names: ["Received", "subject", "received", "received", "cc"], in: Self.headers)
        #expect(selection.canonicalHeaders == "received:by b\r\nsubject:Restablecer\r\nreceived:by a\r\n")
        #expect(selection.names == ["received", "subject", "received", "received", "cc"])
    }

    @Test("a field added anywhere changes what a verifier hashes for the signed names",
          arguments: [("Reply-To", "soporte@evil.example"), ("Cc", "espia@evil.example"),
                      ("Subject", "Urgente"), ("From", "seguridad@evil.example")])
    func additionChangesHash(_ added: (name: String, value: String)) {
        let fields = DKIMConfiguration.defaultSignedHeaders
        let signed = DKIMHeaderSelection(oversigning: fields, in: Self.headers)
        for tampered in [[added] + Self.headers, Self.headers + [added]] {
            #expect(DKIMHeaderSelection(names: signed.names, in: tampered).canonicalHeaders != signed.canonicalHeaders)
        }
    }

    @Test("the folded h= list keeps lines within 78 characters and unfolds to the names")
    func foldedNames() {
        let names = DKIMHeaderSelection(oversigning: DKIMConfiguration.defaultSignedHeaders, in: Self.headers).names
        let folded = DKIMSigner.foldedNames(names, startingAt: 18)
        let lines = ("\tt=1795320000; h=" + folded + ";").components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(folded.replacingOccurrences(of: "\r\n\t", with: "") == names.joined(separator: ":"))
    }

    @Test("dkimpy verifies the untouched message and fails it once tampered",
          .enabled(if: DKIMPy.shouldRun, DKIMPy.skipReason), arguments: Tampering.allCases)
    func tamperedFails(_ tampering: Tampering) throws {
        let folder = try TemporaryDirectory(prefix: "clave-dkim-oversign")
        let signer = try RSASigner(pem: DKIMTests.keyPEM())
        let publicKey = Data(try signer.publicKeyDER()).base64EncodedString()
        let composer = MessageComposer(configuration: MailConfiguration(
            messageIDDomain: "clave.test", dkim: try DKIMConfiguration(domain: "clave.test", selector: "s2026", signer: signer)))
        let signed = String(decoding: try composer.compose(try MailFixtures.mail()).bytes, as: UTF8.self)
        try signed.write(toFile: folder.path("signed.eml"), atomically: true, encoding: .utf8)
        #expect(try DKIMPy.verify(folder.path("signed.eml"), publicKey) == "ok")

        let tampered = tampering.apply(to: signed)
        #expect(tampered != signed)
        try tampered.write(toFile: folder.path("tampered.eml"), atomically: true, encoding: .utf8)
        #expect(try DKIMPy.verify(folder.path("tampered.eml"), publicKey) == "fail")
    }
}
