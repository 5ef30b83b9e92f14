import COpenSSL
import Foundation
import Testing
import TestSupport
@testable import ClaveCrypto

/// The TLS server session in-process: an OpenSSL client and our server over memory BIOs,
/// the bytes moved by the test in pieces of every size.
@Suite struct TLSServerSessionTests {
    static let authority = Result { try TestCertificateAuthority() }
    static let issued = Result { try authority.get().issue() }

    static func context() throws -> TLSServerContext {
        let issued = try issued.get()
        return try TLSServerContext(files: TLSCertificateFiles(certificateChain: issued.chainPath, privateKey: issued.keyPath))
    }

    static func client(maxVersion: Int32 = 0, minVersion: Int32 = 0, alpn: [String] = ["http/1.1"],
                       session: OpaquePointer? = nil) throws -> MemoryTLSClient {
        MemoryTLSClient(caFile: try authority.get().certificatePath, minVersion: minVersion, maxVersion: maxVersion,
                        alpn: alpn, session: session)
    }

    @Test("a TLS 1.3 client verifies the chain, agrees on http/1.1 and exchanges data both ways")
    func handshakeAndData() throws {
        let server = try #require(try Self.context().makeSession())
        let client = try Self.client()
        try MemoryTLSPump.run(client: client, server: server)
        #expect(try client.handshake())
        #expect(server.isHandshakeComplete)
        #expect(server.protocolVersion == "TLSv1.3")
        #expect(server.negotiatedProtocol == "http/1.1")
        client.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let received = try MemoryTLSPump.run(client: client, server: server)
        #expect(String(decoding: received, as: UTF8.self) == "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = Array("HTTP/1.1 200 OK\r\n\r\n".utf8).withUnsafeBytes { server.write($0) }
        try MemoryTLSPump.run(client: client, server: server)
        #expect(String(decoding: client.read(), as: UTF8.self) == "HTTP/1.1 200 OK\r\n\r\n")
        server.close()
        try MemoryTLSPump.run(client: client, server: server)
        _ = client.read()
        #expect(client.receivedCloseNotify)
    }

    @Test("a TLS 1.2 client gets an ECDHE AEAD cipher")
    func tls12() throws {
        let server = try #require(try Self.context().makeSession())
        let client = try Self.client(maxVersion: TLS1_2_VERSION)
        try MemoryTLSPump.run(client: client, server: server)
        #expect(try client.handshake())
        #expect(server.protocolVersion == "TLSv1.2")
        #expect(client.cipher.hasPrefix("ECDHE-") && (client.cipher.contains("GCM") || client.cipher.contains("CHACHA20")))
    }

    @Test("TLS 1.0 and 1.1 clients are refused", arguments: [TLS1_VERSION, TLS1_1_VERSION])
    func oldVersionsRefused(version: Int32) throws {
        let server = try #require(try Self.context().makeSession())
        let client = try Self.client(maxVersion: version, minVersion: version)
        #expect(throws: PeerError.self) { try MemoryTLSPump.run(client: client, server: server) }
        #expect(!server.isHandshakeComplete)
    }

    @Test("a client offering only h2 gets no_application_protocol, not HTTP/1.1 it did not ask for")
    func alpnWithoutHTTP11() throws {
        let server = try #require(try Self.context().makeSession())
        let client = try Self.client(alpn: ["h2"])
        #expect(throws: PeerError.self) { try MemoryTLSPump.run(client: client, server: server) }
    }

    @Test("a returning client resumes its session, with TLS 1.3 tickets and the TLS 1.2 cache",
          arguments: [Int32(0), TLS1_2_VERSION])
    func resumption(maxVersion: Int32) throws {
        let context = try Self.context()
        let first = try #require(context.makeSession())
        let client = try Self.client(maxVersion: maxVersion)
        try MemoryTLSPump.run(client: client, server: first)
        client.write("x")  // TLS 1.3 tickets arrive after the handshake
        try MemoryTLSPump.run(client: client, server: first)
        _ = client.read()
        let saved = try #require(client.session)
        defer { SSL_SESSION_free(saved) }
        let second = try #require(context.makeSession())
        let returning = try Self.client(maxVersion: maxVersion, session: saved)
        try MemoryTLSPump.run(client: returning, server: second)
        #expect(try returning.handshake())
        #expect(second.isResumed)
        #expect(returning.isResumed)
    }

    @Test("the handshake and a request survive every piece size from 1 to 700 bytes")
    func everyPieceSize() throws {
        let context = try Self.context()
        let request = "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "z", count: 5000)
        for size in Array(1...64) + Array(stride(from: 65, through: 700, by: 37)) {
            let server = try #require(context.makeSession())
            let client = try Self.client()
            try MemoryTLSPump.run(client: client, server: server, chunk: size)
            #expect(server.isHandshakeComplete, "piece size \(size)")
            client.write(request)
            let received = try MemoryTLSPump.run(client: client, server: server, chunk: size)
            #expect(received == Array(request.utf8), "piece size \(size)")
        }
    }

    /// A response larger than one record (16 KiB) waits whole in the session's output queue,
    /// and leaves intact whatever piece size the socket takes at a time.
    @Test("a 100 KB response reaches the client intact in pieces of any size", arguments: [1, 1000, 16_384, .max])
    func largeResponse(chunk: Int) throws {
        let server = try #require(try Self.context().makeSession())
        let client = try Self.client()
        try MemoryTLSPump.run(client: client, server: server)
        #expect(try client.handshake())
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(body.withUnsafeBytes { server.write($0) } == body.count)
        #expect(server.pendingOutput.count > body.count)
        try MemoryTLSPump.run(client: client, server: server, chunk: chunk)
        #expect(server.pendingOutput.isEmpty)
        #expect(client.read() == body)
    }

    @Test("garbage instead of a ClientHello fails the session with a reason, no crash")
    func garbage() throws {
        let server = try #require(try Self.context().makeSession())
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        bytes.withUnsafeBytes { server.receive($0) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let result = buffer.withUnsafeMutableBytes { server.read(into: $0) }
        guard case .failed(let reason) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(!server.isHandshakeComplete)
    }
}
