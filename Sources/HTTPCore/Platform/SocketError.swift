#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a socket, epoll instance or signal descriptor, with its `errno`.
///
/// The server reports these from `start()` (address in use, bad host) and logs them while
/// running; they never reach a client.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    /// The call that failed (`bind`, `listen`, `epoll_create1`, ...).
    public let operation: String
    /// The `errno` value it set.
    public let code: Int32

    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// The outcome of one non-blocking read or write.
enum IOResult: Equatable {
    /// This many bytes moved (always more than zero).
    case bytes(Int)
    /// The socket would block (`EAGAIN`); wait for the next epoll event.
    case wouldBlock
    /// The peer closed its side (a read of zero bytes).
    case endOfFile
    /// The call failed with this `errno` (`ECONNRESET`, `EPIPE`, ...).
    case failed(Int32)
}
