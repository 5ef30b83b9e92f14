import Foundation
import Testing
import TestSupport
@testable import ClaveCrypto

/// What `clave serve --tls-cert --tls-key` refuses at start, and what `clave check` prints.
@Suite struct TLSCertificateFilesTests {
    static let authority = Result { try TestCertificateAuthority() }

    @Test("a valid chain and key give the subject, the chain length and the days left")
    func valid() throws {
        let issued = try Self.authority.get().issue(name: "valid")
        let summary = try TLSCertificateFiles(certificateChain: issued.chainPath, privateKey: issued.keyPath).check()
        #expect(summary.subject.contains("CN=localhost"))
        #expect(summary.issuer.contains("Clave Test CA"))
        #expect(summary.chainLength == 2)
        #expect((1...2).contains(summary.daysLeft))  // two days less the seconds since issuing
        #expect(summary.names == ["localhost", "127.0.0.1"])
    }

    @Test("an unreadable certificate or key names the file")
    func unreadable() throws {
        let issued = try Self.authority.get().issue(name: "unreadable")
        #expect(throws: TLSError.self) { try TLSCertificateFiles(certificateChain: "/nonexistent/cert.pem", privateKey: issued.keyPath).check() }
        do {
            _ = try TLSCertificateFiles(certificateChain: issued.chainPath, privateKey: "/nonexistent/key.pem").check()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("cannot read --tls-key /nonexistent/key.pem"))
        }
        do {
            _ = try TLSCertificateFiles(certificateChain: issued.keyPath, privateKey: issued.keyPath).check()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("holds no PEM certificate"))
        }
    }

    @Test("a key that is not the certificate's is refused")
    func mismatchedKey() throws {
        let first = try Self.authority.get().issue(name: "first")
        let second = try Self.authority.get().issue(name: "second")
        do {
            _ = try TLSCertificateFiles(certificateChain: first.chainPath, privateKey: second.keyPath).check()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("is not the key of the certificate"))
        }
        #expect(throws: TLSError.self) {
            try TLSServerContext(files: TLSCertificateFiles(certificateChain: first.chainPath, privateKey: second.keyPath))
        }
    }

    @Test("an expired certificate, and one not yet valid, are refused")
    func dates() throws {
        let expired = try Self.authority.get().issue(name: "expired", startDate: "20200101000000Z", endDate: "20200102000000Z")
        do {
            _ = try TLSCertificateFiles(certificateChain: expired.chainPath, privateKey: expired.keyPath).check()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("expired on Jan  2 00:00:00 2020 GMT"))
        }
        let valid = try Self.authority.get().issue(name: "later")
        let files = TLSCertificateFiles(certificateChain: valid.chainPath, privateKey: valid.keyPath)
        #expect(throws: TLSError.self) { try files.check(now: Date().addingTimeInterval(-86_400)) }
        #expect(throws: TLSError.self) { try files.check(now: Date().addingTimeInterval(3 * 86_400)) }
    }

    @Test("a chain file whose certificates are out of order is refused")
    func chainOrder() throws {
        let authority = try Self.authority.get()
        let issued = try authority.issue(name: "order")
        let reversed = authority.folder.path("reversed.pem")
        let pem = try String(contentsOfFile: authority.certificatePath, encoding: .utf8)
            + String(contentsOfFile: issued.leafPath, encoding: .utf8)
        try pem.write(toFile: reversed, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try TLSCertificateFiles(certificateChain: reversed, privateKey: issued.keyPath).check() }
    }

    @Test("reload swaps the certificate for new sessions; a bad file keeps the old one")
    func reload() throws {
        let authority = try Self.authority.get()
        let issued = try authority.issue(name: "reload")
        let chain = authority.folder.path("live-chain.pem"), key = authority.folder.path("live-key.pem")
        try FileManager.default.copyItem(atPath: issued.chainPath, toPath: chain)
        try FileManager.default.copyItem(atPath: issued.keyPath, toPath: key)
        let context = try TLSServerContext(files: TLSCertificateFiles(certificateChain: chain, privateKey: key))
        let open = try #require(context.makeSession())
        let client = MemoryTLSClient(caFile: authority.certificatePath)
        try MemoryTLSPump.run(client: client, server: open)

        try "not a certificate".write(toFile: chain, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try context.reload() }
        let stillOld = try #require(context.makeSession())
        try MemoryTLSPump.run(client: MemoryTLSClient(caFile: authority.certificatePath), server: stillOld)
        #expect(stillOld.isHandshakeComplete)

        let renewed = try authority.issue(name: "renewed", hosts: ["localhost", "127.0.0.1", "renewed.example"])
        try FileManager.default.removeItem(atPath: chain)
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: renewed.chainPath, toPath: chain)
        try FileManager.default.copyItem(atPath: renewed.keyPath, toPath: key)
        let summary = try context.reload()
        #expect(summary.names.contains("renewed.example"))
        #expect(context.summary.names.contains("renewed.example"))

        // The session made before the reload still talks.
        client.write("after reload")
        let received = try MemoryTLSPump.run(client: client, server: open)
        #expect(String(decoding: received, as: UTF8.self) == "after reload")
    }
}
