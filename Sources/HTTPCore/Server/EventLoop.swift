import ClaveLog

/// One epoll thread owning a set of connections: it accepts, reads, parses, enforces limits and
/// timeouts, hands complete requests to the worker pool (or answers cheap ones inline), and
/// writes responses with one `writev` each.
///
/// Other threads talk to a loop in two ways only: `complete(token:response:)` from workers and
/// `requestShutdown()`, both through a short lock and an eventfd wake-up.
final class EventLoop: @unchecked Sendable {
    let index: Int
    private let epoll: Epoll
    private let wakeUp: WakeUp
    private let listener: ListeningSocket
    private let configuration: HTTPServerConfiguration
    private let invoker: ResponderInvoker
    private let metrics: MetricsShard
    private let logger: Logger
    /// Set by the server once the pool exists (the pool needs the loops for completions).
    var submit: (@Sendable (WorkerJob) -> Bool)?

    // Loop-thread state.
    private var connections: [Connection?] = []
    private var openCount = 0
    private var generation: UInt64 = 0
    private var readBuffer: UnsafeMutableRawBufferPointer
    private var dates = HTTPDateCache()
    private var requestCounter: UInt64 = 0
    private let requestIDPrefix: String
    private var stopping = false
    /// The listener is out of epoll after `accept` ran out of descriptors; the next sweep
    /// puts it back (a level-triggered listener would otherwise spin the loop at 100% CPU).
    private var acceptPaused = false
    private var stopDeadline: UInt64 = .max
    private var nextSweep: UInt64 = 0
    private let sweepInterval: UInt64

    // Shared state, under `lock`.
    private let lock = Lock()
    private var completions: [(token: UInt64, response: HTTPResponse)] = []
    private var spare: [(token: UInt64, response: HTTPResponse)] = []
    private var stopRequested = false

    private static let listenerToken: UInt64 = .max
    private static let wakeToken: UInt64 = .max - 1

    init(index: Int, listener: ListeningSocket, configuration: HTTPServerConfiguration,
         invoker: ResponderInvoker, metrics: MetricsShard, requestIDPrefix: String) throws {
        self.index = index
        self.listener = listener
        self.configuration = configuration
        self.invoker = invoker
        self.metrics = metrics
        self.logger = configuration.logger
        self.requestIDPrefix = requestIDPrefix + String(index, radix: 36) + "-"
        epoll = try Epoll()
        wakeUp = try WakeUp()
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        sweepInterval = configuration.timeouts.sweepInterval.nanoseconds
        try epoll.addReadable(wakeUp.descriptor, token: Self.wakeToken)
        try epoll.addListener(listener.descriptor, token: Self.listenerToken)
    }

    deinit { readBuffer.deallocate() }

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
        let clock = configuration.clock
        while true {
            var now = clock.now()
            if stopping && (openCount == 0 || now >= stopDeadline) { break }
            let untilSweep = nextSweep > now ? nextSweep - now : 0
            let waitMilliseconds = Int32(min(untilSweep / 1_000_000 + 1, 1000))
            epoll.wait(timeoutMilliseconds: waitMilliseconds) { event in handle(event) }
            now = clock.now()
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now &+ sweepInterval
            }
        }
        for case let connection? in connections { close(connection) }
        epoll.remove(listener.descriptor)
    }

    private func handle(_ event: Epoll.Event) {
        switch event.token {
        case Self.listenerToken:
            acceptConnections()
        case Self.wakeToken:
            wakeUp.drain()
            drainCompletions()
            if !stopping, lock.withLock({ stopRequested }) { beginStopping() }
        default:
            guard let connection = lookUp(event.token) else { return }
            if event.writable {
                connection.mayWrite = true
                if connection.machine.state == .writing { flush(connection) }
            }
            if event.readable { connection.mayRead = true }
            if event.hangUp { connection.inputClosed = true }
            if connection.machine.state != .closed { drive(connection) }
        }
    }

    private func lookUp(_ token: UInt64) -> Connection? {
        let fd = Int(token & 0xFFFF_FFFF)
        guard fd < connections.count, let connection = connections[fd], connection.token == token else { return nil }
        return connection
    }

    private func acceptConnections() {
        guard !stopping else { return }
        while true {
            switch listener.accept() {
            case .connection(let fd, let address):
                generation &+= 1
                let token = (generation << 32) | UInt64(UInt32(fd))
                let connection = Connection(
                    descriptor: fd, token: token, remoteAddress: address,
                    limits: configuration.limits, timeouts: configuration.timeouts, now: configuration.clock.now())
                do {
                    try epoll.addConnection(fd, token: token)
                } catch {
                    logger.warning("epoll_ctl failed", ["error": "\(error)"])
                    ConnectionSocket.close(fd)
                    continue
                }
                if Int(fd) >= connections.count {
                    connections.append(contentsOf: repeatElement(nil, count: Int(fd) - connections.count + 64))
                }
                connections[Int(fd)] = connection
                openCount += 1
                metrics.connectionOpened()
            case .wouldBlock:
                return
            case .failed(let code):
                // EMFILE and friends: pause accepting until the next sweep; the pending
                // connections wait in the backlog. The log line tells the operator to raise
                // the descriptor limit.
                logger.warning("accept failed", ["error": SocketError("accept", code: code).description])
                epoll.remove(listener.descriptor)
                acceptPaused = true
                return
            }
        }
    }

    private func beginStopping() {
        stopping = true
        stopDeadline = configuration.clock.now() &+ configuration.timeouts.shutdownGrace.nanoseconds
        epoll.remove(listener.descriptor)
        for case let connection? in connections where connection.machine.shutdownRequested() {
            close(connection)
        }
    }

    private func drainCompletions() {
        lock.lock()
        swap(&completions, &spare)
        lock.unlock()
        for (token, response) in spare {
            guard let connection = lookUp(token), connection.machine.state == .processing else { continue }
            send(response, on: connection)
            if connection.machine.state != .closed { drive(connection) }
        }
        spare.removeAll(keepingCapacity: true)
    }

    // MARK: Reading and parsing

    /// Parses buffered bytes and reads more while the connection wants a request.
    private func drive(_ connection: Connection) {
        while true {
            switch connection.machine.state {
            case .processing, .writing, .closed:
                return
            case .lingering:
                discardInput(connection)
                return
            case .awaitingHead, .readingHead, .readingBody:
                break
            }
            switch connection.parser.next() {
            case .request(let request):
                dispatch(request, on: connection)
            case .head(_, let expectsContinue):
                connection.machine.parserAdvanced(to: connection.parser.phase, now: configuration.clock.now())
                if expectsContinue { sendInterim(on: connection) }
            case .error(let error):
                logger.info("request rejected", ["client": connection.remoteAddress, "status": String(error.status.code), "reason": "\(error)"])
                connection.currentMethod = .get
                connection.currentPath = ""
                connection.currentRequestID = nextRequestID()
                connection.currentStart = configuration.clock.now()
                connection.currentIsHead = false
                connection.currentVersion = .http1_1
                let response = ErrorPage.response(error.status, requestID: connection.currentRequestID)
                connection.machine.requestDispatched(keepAlive: false)
                send(response, on: connection)
                return
            case .needMore:
                connection.machine.parserAdvanced(to: connection.parser.phase, now: configuration.clock.now())
                guard connection.mayRead else { return }
                switch ConnectionSocket.read(connection.descriptor, into: readBuffer) {
                case .bytes(let count):
                    // A short read drained the socket: the next arrival raises a new edge. Not
                    // after a hang-up, whose end-of-file must still be read to close.
                    if count < readBuffer.count && !connection.inputClosed { connection.mayRead = false }
                    connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                case .wouldBlock:
                    connection.mayRead = false
                    return
                case .endOfFile, .failed:
                    close(connection)
                    return
                }
            }
        }
    }

    private func dispatch(_ request: HTTPRequest, on connection: Connection) {
        var request = request
        request.remoteAddress = connection.remoteAddress
        request.requestID = nextRequestID()
        connection.currentMethod = request.method
        connection.currentPath = request.path
        connection.currentRequestID = request.requestID
        connection.currentStart = configuration.clock.now()
        connection.currentIsHead = request.method == .head
        connection.currentVersion = request.version
        connection.machine.requestDispatched(keepAlive: request.head.keepAlive)

        if invoker.responder.respondsInline(to: request.head) {
            send(invoker.response(for: request), on: connection)
        } else if let submit, submit(WorkerJob(request: request, token: connection.token, loop: self)) {
            return
        } else {
            metrics.requestShed()
            let response = ErrorPage.response(
                .serviceUnavailable, requestID: request.requestID,
                headers: ["Retry-After": String(configuration.retryAfterSeconds)])
            send(response, on: connection)
        }
    }

    private func nextRequestID() -> String {
        requestCounter &+= 1
        return requestIDPrefix + String(requestCounter, radix: 36)
    }

    /// Drains unread input of a closing connection until end-of-file.
    private func discardInput(_ connection: Connection) {
        while connection.mayRead {
            switch ConnectionSocket.read(connection.descriptor, into: readBuffer) {
            case .bytes:
                continue
            case .wouldBlock:
                connection.mayRead = false
            case .endOfFile, .failed:
                close(connection)
                return
            }
        }
    }

    // MARK: Writing

    /// Queues `response` and writes as much as the socket takes now.
    private func send(_ response: HTTPResponse, on connection: Connection) {
        let keepAlive = connection.machine.keepAlive && !stopping
        connection.pendingHead = HTTPResponseWriter.head(
            for: response, keepAlive: keepAlive, date: dates.current(),
            isHeadRequest: connection.currentIsHead, requestVersion: connection.currentVersion)
        let sendsBody = !connection.currentIsHead && response.status.allowsBody
        connection.pendingBody = sendsBody ? response.body : []
        connection.written = 0
        connection.currentStatus = response.status.code
        connection.machine.responseQueued(keepAlive: keepAlive, now: configuration.clock.now())
        flush(connection)
    }

    /// `100 Continue` before an expected body; small enough that a full socket buffer here
    /// means a client not reading, which the write timeout will catch.
    private func sendInterim(on connection: Connection) {
        _ = Self.continueHead.withUnsafeBytes {
            ConnectionSocket.write(connection.descriptor, head: $0, body: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    private static let continueHead = HTTPResponseWriter.interim100Continue()

    private func flush(_ connection: Connection) {
        while connection.remaining > 0 {
            guard connection.mayWrite else { return }
            let headCount = connection.pendingHead.count
            let result: IOResult = connection.pendingHead.withUnsafeBytes { head in
                connection.pendingBody.withUnsafeBytes { body in
                    if connection.written < headCount {
                        return ConnectionSocket.write(connection.descriptor, head: UnsafeRawBufferPointer(rebasing: head[connection.written...]), body: body)
                    }
                    return ConnectionSocket.write(connection.descriptor, head: UnsafeRawBufferPointer(start: nil, count: 0),
                                                  body: UnsafeRawBufferPointer(rebasing: body[(connection.written - headCount)...]))
                }
            }
            switch result {
            case .bytes(let count):
                connection.written += count
            case .wouldBlock:
                connection.mayWrite = false
                return
            case .endOfFile, .failed:
                close(connection)
                return
            }
        }
        responseWritten(connection)
    }

    private func responseWritten(_ connection: Connection) {
        let now = configuration.clock.now()
        let bytes = connection.pendingBody.count
        let duration = now &- connection.currentStart
        metrics.recordResponse(status: connection.currentStatus, durationNanoseconds: duration)
        if configuration.accessLog {
            logger.info("request", [
                "method": connection.currentMethod.rawValue,
                "path": String(connection.currentPath),
                "status": String(connection.currentStatus),
                "bytes": String(bytes),
                "duration_us": String(duration / 1000),
                "request_id": connection.currentRequestID,
                "client": connection.remoteAddress,
            ])
        }
        connection.pendingHead = []
        connection.pendingBody = []
        connection.written = 0
        connection.currentPath = ""
        if connection.machine.responseWritten(now: now) == .close {
            ConnectionSocket.shutdownWrite(connection.descriptor)
            discardInput(connection)
        }
    }

    // MARK: Timeouts and closing

    private func sweep(now: UInt64) {
        if acceptPaused && !stopping {
            acceptPaused = false
            do {
                try epoll.addListener(listener.descriptor, token: Self.listenerToken)
            } catch {
                acceptPaused = true
            }
        }
        for case let connection? in connections {
            guard let timeout = connection.machine.expired(at: now) else { continue }
            if connection.machine.answersRequestTimeout {
                logger.info("request timeout", ["client": connection.remoteAddress, "timeout": "\(timeout)"])
                let page = ErrorPage.response(.requestTimeout)
                let head = HTTPResponseWriter.head(for: page, keepAlive: false, date: dates.current(), isHeadRequest: false)
                _ = head.withUnsafeBytes { headBytes in
                    page.body.withUnsafeBytes { ConnectionSocket.write(connection.descriptor, head: headBytes, body: $0) }
                }
            }
            close(connection)
        }
    }

    private func close(_ connection: Connection) {
        guard connection.machine.state != .closed else { return }
        connection.machine.closed()
        epoll.remove(connection.descriptor)
        ConnectionSocket.close(connection.descriptor)
        connections[Int(connection.descriptor)] = nil
        openCount -= 1
        metrics.connectionClosed()
    }
}
