#if canImport(Glibc)
import Glibc
#endif

/// The system calls on one accepted, non-blocking connection socket.
///
/// Every call retries on `EINTR` and reports `EAGAIN` as `.wouldBlock`, so the event loop
/// waits for epoll instead of blocking a thread on a slow client.
enum ConnectionSocket {
    /// Reads into `buffer`.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(code)
        }
    }

    /// Whether bytes the client sent wait unread in the kernel (a peek that takes nothing).
    /// End of file and errors are "no": such a connection has nothing left to answer.
    static func hasPendingInput(_ descriptor: Int32) -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = Glibc.recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if n > 0 { return true }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// Writes `head` then `body` with one `sendmsg` (a `writev` that takes `MSG_NOSIGNAL`, so a
    /// client that went away gives `EPIPE` instead of killing the process with SIGPIPE).
    /// Head and body leave in the same segment when they fit, which is what keeps a
    /// keep-alive round trip at tens of microseconds.
    static func write(_ descriptor: Int32, head: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer) -> IOResult {
        var vectors = (
            iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress), iov_len: head.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count)
        )
        let count = body.isEmpty ? 1 : 2
        while true {
            let n = withUnsafeMutablePointer(to: &vectors) { pointer -> Int in
                pointer.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                    var message = msghdr()
                    message.msg_iov = head.isEmpty ? iov + 1 : iov
                    message.msg_iovlen = head.isEmpty ? 1 : count
                    return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
                }
            }
            if n >= 0 { return .bytes(n) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(code)
        }
    }

    /// Stops sending; the client sees end-of-file after the bytes already queued.
    static func shutdownWrite(_ descriptor: Int32) {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
