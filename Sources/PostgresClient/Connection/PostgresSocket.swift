import ClaveCrypto
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
        // A write to a socket the server closed must be an error, not a process-killing SIGPIPE
        // (OpenSSL writes with write(2), where MSG_NOSIGNAL cannot be passed).
        signal(SIGPIPE, SIG_IGN)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, list != nil else {
            throw .connectionFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var failures: [String] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            guard fd >= 0 else { failures.append(String(cString: strerror(errno))); continue }
            if let failure = Self.connect(fd, info.ai_addr, info.ai_addrlen, timeout: connectTimeout) {
                failures.append(failure)
                Glibc.close(fd)
                continue
            }
            Self.configure(fd, ioTimeout: ioTimeout)
            descriptor = fd
            return
        }
        throw .connectionFailed("cannot connect to \(host):\(port): \(failures.last ?? "no address")")
    }

    deinit { close() }

    private static func configure(_ fd: Int32, ioTimeout: TimeInterval) {
        var on: Int32 = 1
        // Bind+Execute+Sync go out as one write; Nagle would only add latency to the reply.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        // A server that vanishes without a FIN (machine lost) is noticed on an idle
        // connection too, not only at the next query.
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
        let whole = ioTimeout.rounded(.down)
        var time = timeval(tv_sec: Int(whole), tv_usec: Int((ioTimeout - whole) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Non-blocking connect bounded by `poll`, so an unreachable host costs `timeout` and not
    /// the kernel's minutes of SYN retries.
    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                timeout: TimeInterval) -> String? {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        guard Glibc.connect(fd, address, length) != 0 else { return nil }
        guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        switch poll(&poller, 1, Int32(timeout * 1000)) {
        case 0: return "connect timed out after \(timeout)s"
        case ..<0: return String(cString: strerror(errno))
        default:
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            return error == 0 ? nil : String(cString: strerror(error))
        }
    }

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
    func setTimeout(_ seconds: TimeInterval) { Self.configure(descriptor, ioTimeout: seconds) }

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
        while true {
            let n = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return n }
            if n == 0 { throw .connectionLost("the server closed the connection") }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .connectionLost("no answer within the I/O timeout") }
            throw .connectionLost("read: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(PostgresError) {
        guard !closed else { throw .connectionLost("the connection is closed") }
        if let tls {
            do { try tls.write(bytes) } catch { throw .connectionLost("\(error)") }
            return
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .connectionLost("write timed out") }
            throw .connectionLost("write: \(String(cString: strerror(errno)))")
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
