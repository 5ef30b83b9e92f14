import COpenSSL

/// One server-side TLS session over in-memory queues (``TLSTransport``): ciphertext goes in
/// with ``receive(_:)`` and comes out of ``pendingOutput``, plaintext comes out of
/// ``read(into:)`` and goes in with ``write(_:)``. It never touches a socket, so the event loop
/// decides when to read and write (epoll, edge-triggered), and tests and the fuzzer feed it
/// any split of the bytes.
///
/// The handshake runs inside the first reads (`SSL_set_accept_state`). One thread at a time.
public final class TLSServerSession {
    private let ssl: OpaquePointer
    /// The ciphertext both ways; its BIO does not retain it, so `deinit` frees the `SSL` (and
    /// with it the BIO) before this is released.
    private let transport: TLSTransport

    /// A session on `context` (an `SSL_CTX` kept alive by the `SSL`'s own reference).
    init?(context: OpaquePointer) {
        guard let ssl = SSL_new(context) else { return nil }
        let transport = TLSTransport()
        guard let bio = transport.makeBIO() else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_bio(ssl, bio, bio)  // one BIO both ways: the SSL owns its one reference now
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.transport = transport
    }

    deinit { SSL_free(ssl) }

    /// What ``read(into:)`` gave.
    public enum Read: Equatable, Sendable {
        case bytes(Int)
        case needInput
        case closed
        case failed(String)
    }

    /// Takes ciphertext from the peer (all of it: the queue grows).
    public func receive(_ ciphertext: UnsafeRawBufferPointer) {
        transport.input.append(ciphertext)
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
    public var pendingOutput: UnsafeRawBufferPointer { transport.output.bytes }

    /// Drops the first `count` bytes of ``pendingOutput`` (they were sent).
    public func consumeOutput(_ count: Int) { transport.output.consume(count) }

    /// Undecrypted ciphertext or decrypted bytes wait inside.
    public var hasBufferedInput: Bool { transport.input.count > 0 || SSL_has_pending(ssl) == 1 }

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
