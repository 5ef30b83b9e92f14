import COpenSSL
import Glibc

/// A TLS client session over a connected, blocking socket that the caller owns.
///
/// Timeouts come from the socket (`SO_RCVTIMEO` / `SO_SNDTIMEO`): a read that times out
/// surfaces as `TLSError.timeout`. The host name is checked against the certificate with
/// `SSL_set1_host` (RFC 6125 rules as OpenSSL implements them), or `X509_VERIFY_PARAM_set1_ip_asc`
/// for an IP literal; SNI is sent for names only (RFC 6066 §3 forbids IP literals there).
/// Used by one thread at a time.
public final class TLSClientConnection: @unchecked Sendable {
    private let ssl: OpaquePointer
    private let context: TLSClientContext

    /// Runs the handshake on `socket` and verifies the peer as `host`.
    public init(context: TLSClientContext, socket: Int32, host: String) throws(TLSError) {
        guard let ssl = SSL_new(context.context) else { throw .configuration(TLSErrorQueue.drain()) }
        self.ssl = ssl
        self.context = context
        ERR_clear_error()
        SSL_set_fd(ssl, socket)
        if context.configuration.verifyPeer {
            let ok: Int32
            if Self.isIPAddress(host) {
                ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            } else {
                ok = SSL_set1_host(ssl, host)
            }
            guard ok == 1 else { throw .configuration("cannot set host name \(host) for verification") }
        }
        if !Self.isIPAddress(host) {
            _ = host.withCString { name in
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: name))
            }
        }
        let result = SSL_connect(ssl)
        guard result == 1 else {
            let verify = SSL_get_verify_result(ssl)
            if verify != Int(X509_V_OK) {
                let reason = String(cString: X509_verify_cert_error_string(verify))
                ERR_clear_error()
                throw .certificateRejected(reason)
            }
            throw Self.error(ssl: ssl, result: result, during: "handshake")
        }
    }

    deinit { SSL_free(ssl) }

    /// Reads up to `buffer.count` bytes; returns how many (at least one).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        ERR_clear_error()
        let n = SSL_read(ssl, base, Int32(min(buffer.count, Int(Int32.max))))
        guard n > 0 else { throw Self.error(ssl: ssl, result: n, during: "read") }
        return Int(n)
    }

    /// Writes every byte of `bytes`.
    public func write(_ bytes: [UInt8]) throws(TLSError) {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let n = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress! + offset, Int32(min(raw.count - offset, 1 << 20)))
            }
            guard n > 0 else { throw Self.error(ssl: ssl, result: n, during: "write") }
            offset += Int(n)
        }
    }

    /// Sends close_notify (RFC 8446 §6.1) without waiting for the peer's; the socket is the
    /// caller's to close.
    public func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private static func error(ssl: OpaquePointer, result: Int32, during step: String) -> TLSError {
        let code = SSL_get_error(ssl, result)
        let savedErrno = errno
        switch code {
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // A blocking socket only asks to retry when SO_RCVTIMEO / SO_SNDTIMEO expired.
            ERR_clear_error()
            return .timeout
        case SSL_ERROR_SYSCALL:
            let queued = TLSErrorQueue.drain()
            if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK { return .timeout }
            if savedErrno == 0 || result == 0 { return .closed }
            return .io("\(step): \(String(cString: strerror(savedErrno))) \(queued)")
        default:
            let detail = TLSErrorQueue.drain()
            return step == "handshake" ? .handshakeFailed(detail) : .io("\(step): \(detail)")
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
