import ClaveLog
import ClaveTime

/// One poller thread owning a set of connections: it accepts, reads, parses, enforces limits
/// and timeouts, hands complete requests to the worker pool (or answers cheap ones inline),
/// and writes responses with one `writev` each.
///
/// The work is split by concern: this file is the poll loop and what arrives from other
/// threads; ``ConnectionTable`` registers, counts and closes connections; ``LoopTimers`` says
/// when to wake for sweeps and held responses (`EventLoop+Timers.swift` acts on them);
/// `EventLoop+Reading.swift` parses and dispatches; `EventLoop+Writing.swift` and
/// ``PendingResponse`` write. The loop waits on a ``Poller`` and reads an injected
/// ``ClaveClock``, so a test drives it one ``iterate()`` at a time with scripted readiness
/// events and a manual clock.
///
/// Other threads talk to a loop in two ways only: `complete(token:response:)` from workers and
/// `requestShutdown()`, both through a short lock and an eventfd wake-up.
final class EventLoop: @unchecked Sendable {
    let index: Int
    let poller: any Poller
    let wakeUp: WakeUp
    let listener: any ConnectionListener
    let configuration: HTTPServerConfiguration
    let clock: any ClaveClock
    let invoker: ResponderInvoker
    let metrics: MetricsShard
    let logger: Logger
    /// Set by the server once the pool exists (the pool needs the loops for completions).
    var submit: (@Sendable (WorkerJob) -> Bool)?

    // Loop-thread state, shared with the extensions in `EventLoop+*.swift`.
    let connections: ConnectionTable
    var timers: LoopTimers
    var readBuffer: UnsafeMutableRawBufferPointer
    /// Ciphertext read from a TLS connection's socket before it is decrypted into
    /// `readBuffer`, and a response's head and body joined into one record (unused when plain).
    var cipherBuffer: UnsafeMutableRawBufferPointer
    var dates = HTTPDateCache()
    var requestCounter: UInt64 = 0
    let requestIDPrefix: String
    var stopping = false
    /// The listener is out of the poller after `accept` ran out of descriptors; the next sweep
    /// puts it back (a level-triggered listener would otherwise spin the loop at 100% CPU).
    var acceptPaused = false
    /// This loop's share of ``HTTPServerConfiguration/maxConnections``.
    let connectionLimit: Int
    /// The listener is out of the poller because the loop holds ``connectionLimit`` connections.
    var atConnectionCap = false

    // Shared state, under `lock`.
    private let lock = Lock()
    private var completions: [(token: UInt64, response: HTTPResponse)] = []
    private var spare: [(token: UInt64, response: HTTPResponse)] = []
    private var stopRequested = false

    static let listenerToken: UInt64 = .max
    static let wakeToken: UInt64 = .max - 1

    /// A loop over `listener`; `poller` defaults to a new `Epoll` (tests pass a scripted one).
    init(index: Int, listener: any ConnectionListener, configuration: HTTPServerConfiguration,
         invoker: ResponderInvoker, metrics: MetricsShard, requestIDPrefix: String,
         poller: (any Poller)? = nil) throws {
        self.index = index
        self.listener = listener
        self.configuration = configuration
        self.clock = configuration.clock
        self.invoker = invoker
        self.metrics = metrics
        self.logger = configuration.logger
        self.requestIDPrefix = requestIDPrefix + String(index, radix: 36) + "-"
        connectionLimit = max(1, configuration.maxConnections / max(1, configuration.eventLoopCount))
        let poller = try poller ?? Epoll()
        self.poller = poller
        connections = ConnectionTable(poller: poller, metrics: metrics)
        timers = LoopTimers(timeouts: configuration.timeouts)
        wakeUp = try WakeUp()
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        cipherBuffer = .allocate(byteCount: configuration.security == nil ? 0 : 17 * 1024, alignment: 16)
        try poller.addReadable(wakeUp.descriptor, token: Self.wakeToken)
        try poller.addListener(listener.descriptor, token: Self.listenerToken)
    }

    deinit {
        readBuffer.deallocate()
        cipherBuffer.deallocate()
    }

    // MARK: Calls from other threads

    /// A worker finished `token`'s request.
    func complete(token: UInt64, response: HTTPResponse) {
        lock.lock()
        let wasEmpty = completions.isEmpty
        completions.append((token, response))
        lock.unlock()
        // A loop already woken will drain every completion queued so far.
        if wasEmpty { wakeUp.signal() }
    }

    /// Begins graceful shutdown: stop accepting, close idle connections, finish the rest.
    func requestShutdown() {
        lock.withLock { stopRequested = true }
        wakeUp.signal()
    }

    // MARK: The loop

    /// Runs until shutdown completes: every connection closed, or the grace period over.
    func run() {
        while iterate() {}
        finish()
    }

    /// One pass of the loop: wait for readiness (no longer than the next timer), handle every
    /// event, then fire the timers that are due. Returns false, without waiting, once shutdown
    /// has completed; the caller then calls ``finish()``.
    func iterate() -> Bool {
        let now = clock.uptime()
        if stopping && (connections.count == 0 || now >= timers.stopDeadline) { return false }
        poller.wait(timeoutMilliseconds: timers.waitMilliseconds(now: now)) { event in handle(event) }
        fireTimers(now: clock.uptime())
        resumeAcceptingBelowTheCap()
        return true
    }

    /// Closes whatever is still open and leaves the listener.
    func finish() {
        connections.close { _ in true }
        poller.remove(listener.descriptor)
    }

    private func handle(_ event: PollEvent) {
        switch event.token {
        case Self.listenerToken:
            acceptConnections()
        case Self.wakeToken:
            wakeUp.drain()
            drainCompletions()
            if !stopping, lock.withLock({ stopRequested }) { beginStopping() }
        default:
            guard let connection = connections.connection(for: event.token) else { return }
            if event.writable {
                connection.mayWrite = true
                if connection.machine.state == .writing { flush(connection) } else { flushSessionOutput(connection) }
            }
            if event.readable { connection.mayRead = true }
            if event.hangUp { connection.inputClosed = true }
            if connection.machine.state != .closed { drive(connection) }
        }
    }

    private func acceptConnections() {
        guard !stopping else { return }
        while true {
            guard connections.count < connectionLimit else {
                // At the cap: out of the poller (a level-triggered listener would spin), counted,
                // and back in once a connection closes (`resumeAcceptingBelowTheCap`).
                poller.remove(listener.descriptor)
                acceptPaused = true
                atConnectionCap = true
                metrics.acceptPaused()
                return
            }
            switch listener.accept() {
            case .connection(let fd, let address):
                do {
                    let connection = try connections.open(descriptor: fd, remoteAddress: address, limits: configuration.limits,
                                                          timeouts: configuration.timeouts, now: clock.uptime())
                    if let security = configuration.security {
                        guard let session = security.makeSession() else {
                            connections.close(connection)
                            continue
                        }
                        connection.session = session
                        connection.machine.handshakeStarted(now: clock.uptime())
                    }
                } catch {
                    logger.warning("epoll_ctl failed", ["error": "\(error)"])
                }
            case .wouldBlock:
                return
            case .failed(let code):
                // EMFILE and friends: pause accepting until the next sweep; the pending
                // connections wait in the backlog. The log line tells the operator to raise
                // the descriptor limit.
                logger.warning("accept failed", ["error": SocketError("accept", code: code).description])
                poller.remove(listener.descriptor)
                acceptPaused = true
                return
            }
        }
    }

    /// After a pause at the cap, the listener goes back into the poller as soon as a connection
    /// has closed (not at the next sweep: a closing connection frees its place at once).
    private func resumeAcceptingBelowTheCap() {
        guard atConnectionCap, !stopping, connections.count < connectionLimit else { return }
        do {
            try poller.addListener(listener.descriptor, token: Self.listenerToken)
            atConnectionCap = false
            acceptPaused = false
        } catch {
            logger.warning("cannot resume accepting", ["error": "\(error)"])
        }
    }

    /// Stops accepting and closes the idle connections; the rest finish within the grace.
    ///
    /// Two kinds of client look idle but are not, and would get a reset instead of an answer:
    /// one the kernel connected before the signal but this loop had not accepted yet, and one
    /// whose request bytes wait unread in the kernel. The first are accepted now, the second
    /// kept and read; both are answered with `Connection: close`.
    private func beginStopping() {
        acceptConnections()
        stopping = true
        timers.stopDeadline = clock.uptime() &+ configuration.timeouts.shutdownGrace.nanoseconds
        poller.remove(listener.descriptor)
        connections.close { connection in
            guard connection.machine.shutdownRequested() else { return false }
            return connection.machine.state == .closed || !ConnectionSocket.hasPendingInput(connection.descriptor)
        }
        connections.forEach { connection in
            guard connection.machine.state == .awaitingHead else { return }
            connection.mayRead = true
            drive(connection)
        }
    }

    private func drainCompletions() {
        lock.lock()
        swap(&completions, &spare)
        lock.unlock()
        for (token, response) in spare {
            guard let connection = connections.connection(for: token), connection.machine.state == .processing else { continue }
            if deliver(response, on: connection), connection.machine.state != .closed { drive(connection) }
        }
        spare.removeAll(keepingCapacity: true)
    }
}
