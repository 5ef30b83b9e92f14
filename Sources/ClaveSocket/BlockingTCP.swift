import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking TCP client sockets with connect, read and write timeouts: the C socket calls the
/// SMTP client (`Mailer`) and the PostgreSQL client (`PostgresClient`) share, each wrapping the
/// results in its own typed errors.
///
/// Connecting is done non-blocking with `poll`, so an unreachable host costs `connectTimeout`
/// and not the kernel's minutes; afterwards the socket is blocking with `SO_RCVTIMEO` and
/// `SO_SNDTIMEO`, which both plain reads and OpenSSL's reads honour. Blocking is the model on
/// purpose: both clients are called from worker threads, one socket per thread at a time.
public enum BlockingTCP {
    /// Why no connection was made, as one line (`cannot resolve …`, `cannot connect to …`).
    public struct ConnectFailure: Error, Sendable, Equatable {
        public let message: String
    }

    /// What one read gave.
    public enum ReadResult: Sendable, Equatable {
        /// This many bytes (at least one) are in the buffer.
        case bytes(Int)
        /// The peer closed the connection.
        case closed
        /// Nothing within the read timeout.
        case timedOut
        case failed(String)
    }

    /// What writing all the bytes gave.
    public enum WriteResult: Sendable, Equatable {
        case written
        case timedOut
        case failed(String)
    }

    /// Connects to `host:port`, trying each address `getaddrinfo` returns, and returns the
    /// descriptor (close-on-exec, TCP_NODELAY, the I/O timeouts set).
    public static func connect(host: String, port: Int, connectTimeout: TimeInterval,
                               ioTimeout: TimeInterval) -> Result<Int32, ConnectFailure> {
        // Writing to a socket the peer closed raises SIGPIPE, which would kill the server; a
        // failed write must be an error instead (OpenSSL writes with write(2), not send()).
        signal(SIGPIPE, SIG_IGN)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(ConnectFailure(message: "cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if let error = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: connectTimeout) {
                lastError = error
                Glibc.close(fd)
                continue
            }
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            setTimeouts(fd, ioTimeout)
            return .success(fd)
        }
        return .failure(ConnectFailure(message: "cannot connect to \(host):\(port): \(lastError)"))
    }

    /// Sets the read and write timeouts of a connected socket.
    public static func setTimeouts(_ fd: Int32, _ seconds: TimeInterval) {
        let whole = seconds.rounded(.down)
        var time = timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                timeout: TimeInterval) -> String? {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            if ready == 0 { return "connect timed out after \(timeout)s" }
            if ready < 0 { return String(cString: strerror(errno)) }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 { return String(cString: strerror(error)) }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return nil
    }

    /// Reads at least one byte, or says why not.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .timedOut }
            return .failed("read: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes every byte, or says why not.
    public static func write(_ fd: Int32, _ bytes: [UInt8]) -> WriteResult {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .timedOut }
            return .failed("write: \(String(cString: strerror(errno)))")
        }
        return .written
    }
}
