import ClaveCrypto
import ClaveSocket
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The byte stream under a connection: a blocking TCP socket with timeouts, upgraded to TLS in
/// place after SSLRequest (TLS starts on the already-connected socket, which
/// ``TLSClientConnection`` takes as a file descriptor).
///
/// Blocking I/O is deliberate: the store is called from the HTTP server's worker threads, each
/// of which holds at most one pooled connection, so a thread per connection in use is the
/// model and there is no event loop to give back to. `SO_RCVTIMEO`/`SO_SNDTIMEO` bound every
/// read and write, which both `recv` and OpenSSL honour.
final class PostgresSocket {
    private let descriptor: Int32
    private var tls: TLSClientConnection?
    private var closed = false

    init(host: String, port: Int, connectTimeout: TimeInterval, ioTimeout: TimeInterval) throws(PostgresError) {
        switch BlockingTCP.connect(host: host, port: port, connectTimeout: connectTimeout, ioTimeout: ioTimeout) {
        case .success(let fd): descriptor = fd
        case .failure(let failure): throw .connectionFailed(failure.message)
        }
        var on: Int32 = 1
        // A server that vanishes without a FIN (machine lost) is noticed on an idle
        // connection too, not only at the next query.
        setsockopt(descriptor, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// Runs the TLS handshake on the connected socket and sends everything through it from
    /// now on.
    func startTLS(context: TLSClientContext, host: String) throws(PostgresError) {
        do {
            tls = try TLSClientConnection(context: context, socket: descriptor, host: host)
        } catch {
            throw .tls(error)
        }
    }

    var isTLS: Bool { tls != nil }

    /// Changes the read and write timeout (startup runs under the connect timeout).
    func setTimeout(_ seconds: TimeInterval) { BlockingTCP.setTimeouts(descriptor, seconds) }

    /// Reads at least one byte.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(PostgresError) -> Int {
        guard !closed else { throw .connectionLost("the connection is closed") }
        if let tls {
            do { return try tls.read(into: buffer) } catch {
                switch error {
                case .closed: throw .connectionLost("the server closed the connection")
                case .timeout: throw .connectionLost("no answer within the I/O timeout")
                default: throw .connectionLost("\(error)")
                }
            }
        }
        switch BlockingTCP.read(descriptor, into: buffer) {
        case .bytes(let n): return n
        case .closed: throw .connectionLost("the server closed the connection")
        case .timedOut: throw .connectionLost("no answer within the I/O timeout")
        case .failed(let reason): throw .connectionLost(reason)
        }
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(PostgresError) {
        guard !closed else { throw .connectionLost("the connection is closed") }
        if let tls {
            do { try tls.write(bytes) } catch { throw .connectionLost("\(error)") }
            return
        }
        switch BlockingTCP.write(descriptor, bytes) {
        case .written: return
        case .timedOut: throw .connectionLost("write timed out")
        case .failed(let reason): throw .connectionLost(reason)
        }
    }

    /// Whether bytes (or end-of-file) can be read within `timeout` seconds (0: now).
    ///
    /// Under TLS this looks at the socket, not at OpenSSL's buffer: correct here because the
    /// connection reads with a buffer larger than a TLS record (16 KiB), so each `SSL_read`
    /// takes a whole record and nothing decrypted waits inside OpenSSL between reads.
    func waitReadable(timeout: TimeInterval) -> Bool {
        guard !closed else { return true }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&poller, 1, Int32(max(0, timeout) * 1000))
            if ready < 0 && errno == EINTR { continue }
            return ready != 0
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        tls?.shutdown()
        Glibc.close(descriptor)
    }
}
