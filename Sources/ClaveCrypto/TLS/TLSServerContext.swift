import COpenSSL
import Foundation

/// The server's TLS settings (`SSL_CTX`) for `clave serve --tls-cert --tls-key`, made once
/// and shared by every event loop; ``reload()`` (SIGHUP) swaps them for new handshakes only.
///
/// The settings follow Mozilla's "intermediate" profile: TLS 1.2 and 1.3 only (RFC 8996
/// retired 1.0 and 1.1), ECDHE with AEAD ciphers only (AES-GCM, ChaCha20-Poly1305) for 1.2
/// and OpenSSL's 1.3 suites (all AEAD), no compression (CRIME), no renegotiation (a client
/// cannot make the server redo a handshake's work on demand), ALPN `http/1.1`, and session
/// resumption by the session cache and by tickets, so a returning client skips the key exchange.
public final class TLSServerContext: @unchecked Sendable {
    /// The files given at start; ``reload()`` reads them again.
    public let files: TLSCertificateFiles
    private let lock = NSLock()
    private var current: OpaquePointer
    private var currentSummary: TLSCertificateFiles.Summary

    /// ECDHE key exchange and an AEAD cipher, for TLS 1.2 (1.3 has its own, all AEAD).
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    // `SSL_OP_*` are `SSL_OP_BIT(n)` macros, which Swift does not import.
    private static let noCompression: UInt64 = 1 << 17
    private static let noRenegotiation: UInt64 = 1 << 30

    /// Reads and checks the files (``TLSCertificateFiles/check(now:)``) and builds the context.
    public init(files: TLSCertificateFiles) throws(TLSError) {
        self.files = files
        let summary = try files.check()
        current = try Self.makeContext(files)
        currentSummary = summary
    }

    deinit { SSL_CTX_free(current) }

    /// The certificate new handshakes present.
    public var summary: TLSCertificateFiles.Summary { lock.withLock { currentSummary } }

    /// Reads the files again; on success new handshakes use them and open connections keep
    /// the session they have. On failure nothing changes and the error says why.
    @discardableResult
    public func reload() throws(TLSError) -> TLSCertificateFiles.Summary {
        let summary = try files.check()
        let fresh = try Self.makeContext(files)
        let old = lock.withLock { () -> OpaquePointer in
            let old = current
            current = fresh
            currentSummary = summary
            return old
        }
        SSL_CTX_free(old)  // sessions made from it hold their own reference
        return summary
    }

    /// A session for one new connection.
    public func makeSession() -> TLSServerSession? {
        lock.lock()
        defer { lock.unlock() }
        return TLSServerSession(context: current)
    }

    private static func makeContext(_ files: TLSCertificateFiles) throws(TLSError) -> OpaquePointer {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .configuration(TLSErrorQueue.drain()) }
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        SSL_CTX_set_options(context, noCompression | noRenegotiation)
        // Read every received byte out of the input queue at once instead of a record header,
        // then its body: fewer BIO calls per request (SSL_has_pending still sees what is kept).
        SSL_CTX_ctrl(context, SSL_CTRL_SET_READ_AHEAD, 1, nil)
        guard SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1,
              SSL_CTX_use_certificate_chain_file(context, files.certificateChain) == 1,
              SSL_CTX_use_PrivateKey_file(context, files.privateKey, SSL_FILETYPE_PEM) == 1,
              SSL_CTX_check_private_key(context) == 1 else {
            let detail = TLSErrorQueue.drain()
            SSL_CTX_free(context)
            throw .configuration("cannot use \(files.certificateChain) and \(files.privateKey): \(detail)")
        }
        // The server-side session cache needs an id context; tickets (on by default) need none.
        let id = Array("clave".utf8)
        _ = SSL_CTX_set_session_id_context(context, id, UInt32(id.count))
        SSL_CTX_set_alpn_select_cb(context, { _, out, outLength, offered, offeredLength, _ in
            guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
            return TLSServerContext.selectHTTP11(out, outLength, offered, Int(offeredLength))
        }, nil)
        return context
    }

    /// ALPN (RFC 7301): `http/1.1` when offered; a client that offers only other protocols
    /// (`h2` alone) gets the fatal `no_application_protocol` alert the RFC asks for, rather
    /// than an HTTP/1.1 server it did not ask for.
    static func selectHTTP11(_ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>, _ outLength: UnsafeMutablePointer<UInt8>,
                             _ offered: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        let wanted = Array("http/1.1".utf8)
        var index = 0
        while index < count {
            let length = Int(offered[index])
            let start = index + 1
            guard start + length <= count else { break }
            if length == wanted.count, (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
                out.pointee = offered + start
                outLength.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            index = start + length
        }
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
}
