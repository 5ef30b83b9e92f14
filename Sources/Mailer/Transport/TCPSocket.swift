import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client socket with connect, read and write timeouts: the one place the
/// mailer calls the C socket API.
///
/// Connecting is done non-blocking with `poll`, so an unreachable host costs `connectTimeout`
/// and not the kernel's minutes; afterwards the socket is blocking with `SO_RCVTIMEO` and
/// `SO_SNDTIMEO`, which both plain reads and OpenSSL's reads honour.
final class TCPSocket {
    let descriptor: Int32
    private var closed = false

    /// Connects to `host:port`, trying each address `getaddrinfo` returns.
    init(host: String, port: Int, connectTimeout: TimeInterval, ioTimeout: TimeInterval) throws(SMTPError) {
        // Writing to a socket the peer closed raises SIGPIPE, which would kill the server; a
        // failed write must be an error instead (OpenSSL writes with write(2), not send()).
        signal(SIGPIPE, SIG_IGN)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectionFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if let error = Self.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: connectTimeout) {
                lastError = error
                Glibc.close(fd)
                continue
            }
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            var time = timeval(tv_sec: Int(ioTimeout), tv_usec: Int((ioTimeout - ioTimeout.rounded(.down)) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            descriptor = fd
            return
        }
        throw .connectionFailed("cannot connect to \(host):\(port): \(lastError)")
    }

    deinit { close() }

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

    /// Reads at least one byte; throws on timeout or when the peer closed.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SMTPError) -> Int {
        while true {
            let n = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return n }
            if n == 0 { throw .connectionClosed }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout }
            throw .connectionFailed("read: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .timeout }
            throw .connectionFailed("write: \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }
}
