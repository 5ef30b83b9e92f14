import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// One epoll instance: the readiness queue of an event loop.
///
/// Connections are registered once, edge-triggered, for reading and writing
/// (`EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET`), so a request costs no `epoll_ctl` call: the
/// loop remembers whether a socket may be read or written and stops reading on its own when it
/// wants back-pressure. The listening socket is level-triggered with `EPOLLEXCLUSIVE`, so one
/// pending connection wakes one loop, not all of them.
final class Epoll: Poller {
    let descriptor: Int32
    private let capacity: Int
    private let events: UnsafeMutablePointer<epoll_event>

    init(capacity: Int = 256) throws {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw SocketError("epoll_create1") }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        _ = Glibc.close(descriptor)
    }

    /// Registers a connection socket, edge-triggered for input, output and peer hang-up.
    func addConnection(_ fd: Int32, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd, token: token,
                    events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue)
    }

    /// Registers a descriptor level-triggered for input (wake-up and signal descriptors).
    func addReadable(_ fd: Int32, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd, token: token, events: EPOLLIN.rawValue)
    }

    /// Registers the shared listening socket so that a connection wakes one loop only.
    func addListener(_ fd: Int32, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd, token: token, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    /// Unregisters `fd`; unknown descriptors are ignored.
    func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fd, &event)
    }

    private func control(_ operation: Int32, _ fd: Int32, token: UInt64, events mask: UInt32) throws {
        var event = epoll_event()
        event.events = mask
        event.data.u64 = token
        guard epoll_ctl(descriptor, operation, fd, &event) == 0 else { throw SocketError("epoll_ctl") }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` for each event.
    func wait(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void) {
        let count = epoll_wait(descriptor, events, Int32(capacity), timeoutMilliseconds)
        guard count > 0 else { return }
        let hangUpMask = EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
        for index in 0..<Int(count) {
            let mask = events[index].events
            body(PollEvent(
                token: events[index].data.u64,
                readable: mask & (EPOLLIN.rawValue | hangUpMask) != 0,
                writable: mask & (EPOLLOUT.rawValue | EPOLLERR.rawValue) != 0,
                hangUp: mask & hangUpMask != 0
            ))
        }
    }
}
