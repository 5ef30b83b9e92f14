import COpenSSL

/// One server-side TLS session over two memory BIOs: ciphertext goes in with ``receive(_:)``
/// and comes out of ``pendingOutput``, plaintext comes out of ``read(into:)`` and goes in with
/// ``write(_:)``. It never touches a socket, so the event loop decides when to read and write
/// (epoll, edge-triggered), and tests and the fuzzer feed it any split of the bytes.
///
/// The handshake runs inside the first reads (`SSL_set_accept_state`). One thread at a time.
public final class TLSServerSession {
    private let ssl: OpaquePointer
    /// Ciphertext from the peer, read by libssl.
    private let input: OpaquePointer
    /// Ciphertext libssl wrote for the peer.
    private let output: OpaquePointer

    /// A session on `context` (an `SSL_CTX` kept alive by the `SSL`'s own reference).
    init?(context: OpaquePointer) {
        guard let ssl = SSL_new(context) else { return nil }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            return nil
        }
        // An empty memory BIO means "retry later", not end of file.
        BIO_ctrl(input, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        BIO_ctrl(output, BIO_C_SET_BUF_MEM_EOF_RETURN, -1, nil)
        SSL_set_bio(ssl, input, output)  // the SSL owns both BIOs now
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.input = input
        self.output = output
    }

    deinit { SSL_free(ssl) }

    /// What ``read(into:)`` gave.
    public enum Read: Equatable, Sendable {
        case bytes(Int)
        case needInput
        case closed
        case failed(String)
    }

    /// Takes ciphertext from the peer (all of it: a memory BIO grows).
    public func receive(_ ciphertext: UnsafeRawBufferPointer) {
        guard let base = ciphertext.baseAddress, !ciphertext.isEmpty else { return }
        var offset = 0
        while offset < ciphertext.count {
            let n = BIO_write(input, base + offset, Int32(min(ciphertext.count - offset, Int(Int32.max))))
            guard n > 0 else { return }
            offset += Int(n)
        }
    }

    /// Handshakes when needed, then decrypts into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Read {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .needInput }
        ERR_clear_error()
        let n = SSL_read(ssl, base, Int32(min(buffer.count, Int(Int32.max))))
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needInput
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            let verify = TLSErrorQueue.drain()
            return .failed(verify)
        }
    }

    /// Encrypts all of `plaintext` into ``pendingOutput``; nil once the session has failed.
    public func write(_ plaintext: UnsafeRawBufferPointer) -> Int? {
        guard let base = plaintext.baseAddress, !plaintext.isEmpty else { return 0 }
        ERR_clear_error()
        let n = SSL_write(ssl, base, Int32(min(plaintext.count, Int(Int32.max))))
        guard n > 0 else {
            ERR_clear_error()
            return nil
        }
        return Int(n)
    }

    /// The ciphertext waiting for the peer, without copying (valid until the next call).
    public var pendingOutput: UnsafeRawBufferPointer {
        var pointer: UnsafeMutablePointer<CChar>?
        let count = BIO_ctrl(output, BIO_CTRL_INFO, 0, &pointer)
        guard count > 0, let pointer else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    /// Drops the first `count` bytes of ``pendingOutput`` (they were sent).
    public func consumeOutput(_ count: Int) {
        var left = count
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { scratch in
            while left > 0 {
                let n = BIO_read(output, scratch.baseAddress, Int32(min(left, scratch.count)))
                guard n > 0 else { return }
                left -= Int(n)
            }
        }
    }

    /// Undecrypted ciphertext or decrypted bytes wait inside.
    public var hasBufferedInput: Bool { BIO_ctrl_pending(input) > 0 || SSL_has_pending(ssl) == 1 }

    public var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Queues close_notify.
    public func close() {
        ERR_clear_error()
        guard isHandshakeComplete else { return }
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// The ALPN protocol chosen (`http/1.1`), nil when the client offered none.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// `TLSv1.3` or `TLSv1.2`.
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The handshake resumed an earlier session (a ticket or the session cache).
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }
}
