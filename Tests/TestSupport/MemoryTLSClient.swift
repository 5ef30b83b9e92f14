import COpenSSL
import ClaveCrypto

/// An OpenSSL client session over memory BIOs, for driving a ``TLSServerSession`` in-process:
/// the test moves the bytes between the two, in whatever pieces it likes.
public final class MemoryTLSClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let input: OpaquePointer
    private let output: OpaquePointer

    /// A client trusting `caFile` (nil: no verification), speaking TLS `minVersion...maxVersion`
    /// (`TLS1_2_VERSION` etc.), offering `alpn`, resuming `session` when given.
    public init(caFile: String?, minVersion: Int32 = 0, maxVersion: Int32 = 0, alpn: [String] = ["http/1.1"],
                ciphers: String? = nil, session: OpaquePointer? = nil, host: String = "localhost") {
        context = SSL_CTX_new(TLS_client_method())!
        if minVersion != 0 {
            // Let the test ask for what the server must refuse.
            SSL_CTX_set_security_level(context, 0)
            SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(minVersion), nil)
        }
        if maxVersion != 0 { SSL_CTX_ctrl(context, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(maxVersion), nil) }
        if let ciphers { _ = SSL_CTX_set_cipher_list(context, ciphers) }
        if let caFile {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            _ = SSL_CTX_load_verify_locations(context, caFile, nil)
        }
        ssl = SSL_new(context)!
        input = BIO_new(BIO_s_mem())!
        output = BIO_new(BIO_s_mem())!
        BIO_ctrl(input, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        BIO_ctrl(output, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        SSL_set_bio(ssl, input, output)
        _ = SSL_set1_host(ssl, host)
        if !alpn.isEmpty {
            var wire: [UInt8] = []
            for name in alpn { wire.append(UInt8(name.utf8.count)); wire += Array(name.utf8) }
            _ = SSL_set_alpn_protos(ssl, wire, UInt32(wire.count))
        }
        if let session { SSL_set_session(ssl, session) }
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Runs the handshake as far as the bytes received allow; true once done, false while
    /// waiting; throws on failure.
    public func handshake() throws -> Bool {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return true }
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return false }
        throw PeerError("client handshake failed: \(Self.drainErrors())")
    }

    public func receive(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { BIO_write(input, $0.baseAddress, Int32($0.count)) }
    }

    /// Everything the client has written for the server so far.
    public func takeOutput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else { return bytes }
            bytes += buffer[0..<Int(n)]
        }
    }

    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
    }

    /// Plaintext decrypted so far (empty while a record is incomplete).
    public func read() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            ERR_clear_error()
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else { return bytes }
            bytes += buffer[0..<Int(n)]
        }
    }

    /// The session to resume with (retained; the caller frees it with `SSL_SESSION_free`).
    public var session: OpaquePointer? { SSL_get1_session(ssl) }
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }
    public var cipher: String { String(cString: SSL_CIPHER_get_name(SSL_get_current_cipher(ssl))) }
    /// Whether the server sent close_notify.
    public var receivedCloseNotify: Bool { SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN != 0 }

    static func drainErrors() -> String {
        var parts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.joined(separator: "; ")
    }
}

/// Moves bytes between a ``MemoryTLSClient`` and a ``TLSServerSession`` in pieces of at most
/// `chunk` bytes each way, until both are idle; returns the server's plaintext.
public enum MemoryTLSPump {
    @discardableResult
    public static func run(client: MemoryTLSClient, server: TLSServerSession, chunk: Int = .max,
                           rounds: Int = 10_000) throws -> [UInt8] {
        var plaintext: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        for _ in 0..<rounds {
            _ = try client.handshake()
            let toServer = client.takeOutput()
            var moved = !toServer.isEmpty
            var offset = 0
            repeat {
                let end = min(toServer.count, offset + max(1, chunk))
                toServer[offset..<end].withUnsafeBytes { server.receive($0) }
                offset = end
                reading: while true {
                    let result = buffer.withUnsafeMutableBytes { server.read(into: $0) }
                    switch result {
                    case .bytes(let n): plaintext += buffer[0..<n]
                    case .needInput, .closed: break reading
                    case .failed(let reason): throw PeerError("server failed: \(reason)")
                    }
                }
            } while offset < toServer.count
            let pending = server.pendingOutput
            if pending.count > 0 {
                moved = true
                let bytes = Array(pending)
                server.consumeOutput(bytes.count)
                var index = 0
                while index < bytes.count {
                    let end = min(bytes.count, index + max(1, chunk))
                    client.receive(Array(bytes[index..<end]))
                    index = end
                }
            }
            if !moved { return plaintext }
        }
        return plaintext
    }
}
