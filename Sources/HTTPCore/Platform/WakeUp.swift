import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// An eventfd that another thread writes to wake an event loop out of `epoll_wait`.
///
/// Workers signal finished responses through it; `shutdown()` signals the stop. Writes from
/// several threads fold into one counter, so a burst of completions costs one wake-up.
final class WakeUp: @unchecked Sendable {
    let descriptor: Int32

    init() throws {
        descriptor = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard descriptor >= 0 else { throw SocketError("eventfd") }
    }

    deinit { _ = Glibc.close(descriptor) }

    /// Wakes the loop; safe from any thread.
    func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(descriptor, &one, 8)
    }

    /// Clears the counter after a wake-up, on the loop's thread.
    func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(descriptor, &value, 8)
    }
}
