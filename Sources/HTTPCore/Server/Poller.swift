/// The readiness queue an event loop waits on: which registered descriptors may be read or
/// written now.
///
/// A protocol so that the loop's bookkeeping (accepting, closing, counting, timers) is tested
/// one iteration at a time with a scripted poller and a manual clock, without a listener or a
/// port; `Epoll` is the real one. The loop calls `wait` once per iteration and the other
/// methods once per connection, never per request, so the dynamic dispatch costs nothing
/// measurable.
protocol Poller: AnyObject {
    /// Registers a connection socket for input, output and peer hang-up, edge-triggered: each
    /// state change is reported once, and the loop remembers what it may do meanwhile.
    func addConnection(_ fd: Int32, token: UInt64) throws
    /// Registers a descriptor for input, level-triggered (the wake-up eventfd).
    func addReadable(_ fd: Int32, token: UInt64) throws
    /// Registers the shared listening socket so that one pending connection wakes one loop.
    func addListener(_ fd: Int32, token: UInt64) throws
    /// Unregisters `fd`; unknown descriptors are ignored.
    func remove(_ fd: Int32)
    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` for each event.
    func wait(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void)
}

/// What happened to one registered descriptor.
struct PollEvent: Equatable, Sendable {
    /// The token the descriptor was registered with.
    let token: UInt64
    let readable: Bool
    let writable: Bool
    /// The peer closed or reset (`EPOLLRDHUP`, `EPOLLHUP`, `EPOLLERR`).
    let hangUp: Bool

    init(token: UInt64, readable: Bool = false, writable: Bool = false, hangUp: Bool = false) {
        self.token = token
        self.readable = readable
        self.writable = writable
        self.hangUp = hangUp
    }
}
