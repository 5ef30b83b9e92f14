import ClaveLog

/// The HTTP/1.1 server: one listening socket, one epoll event loop per core, and a bounded
/// worker pool for handlers.
///
/// ```swift
/// var router = Router()
/// router.get("/healthz", inline: true) { _ in .text("ok") }
/// let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), responder: router)
/// let port = try server.start()   // the bound port; port 0 picks a free one
/// // ...
/// server.shutdown()               // stop accepting, finish requests in flight
/// server.wait()
/// ```
///
/// Lifecycle: `start()` binds and starts the threads and returns at once; `wait()` blocks until
/// shutdown has finished; `run()` is both. `shutdown()` may be called from any thread
/// (a `SignalWatcher` calls it on SIGTERM/SIGINT).
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    /// Request counts, latencies and connections, for `GET /metrics`.
    public let metrics: Metrics
    private let responder: any HTTPResponder
    private let lock = Lock()
    private var listener: ListeningSocket?
    private var loops: [EventLoop] = []
    private var threads: [ThreadHandle] = []
    private var pool: WorkerPool<WorkerJob>?
    private var boundPort: Int?
    private var finished = false
    /// Set by `shutdown()`: one that comes before `start()` (a SIGTERM during migrations) stops
    /// the loops as soon as they exist, instead of being lost.
    private var shutdownRequested = false

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, metrics: Metrics = Metrics()) {
        self.configuration = configuration
        self.responder = responder
        self.metrics = metrics
    }

    /// The bound port once started.
    public var port: Int? { lock.withLock { boundPort } }

    /// Binds, starts the event loops and workers, and returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        try lock.withLock {
            guard boundPort == nil else { throw HTTPServerError.alreadyStarted }
            SignalWatcher.ignoreBrokenPipe()
            let socket = try ListeningSocket.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            listener = socket
            let invoker = ResponderInvoker(responder: responder, logger: configuration.logger)
            let prefix = String(UInt32.random(in: 0...UInt32.max), radix: 36) + "-"
            do {
                for index in 0..<max(1, configuration.eventLoopCount) {
                    loops.append(try EventLoop(index: index, listener: socket, configuration: configuration,
                                               invoker: invoker, metrics: metrics.makeShard(), requestIDPrefix: prefix))
                }
                let pool = try WorkerPool<WorkerJob>(
                    workerCount: configuration.workerCount, queueCapacity: configuration.queueCapacity
                ) { job in
                    job.loop.complete(token: job.token, response: invoker.response(for: job.request))
                }
                self.pool = pool
                metrics.gauge("clave_http_worker_queue_depth", help: "Requests waiting for a worker thread.") { [weak pool] in
                    Double(pool?.queueDepth ?? 0)
                }
                for loop in loops {
                    loop.submit = { [unowned pool] job in pool.submit(job) }
                    guard let thread = ThreadHandle(name: "clave-loop-\(loop.index)", { loop.run() }) else {
                        throw SocketError("pthread_create")
                    }
                    threads.append(thread)
                }
            } catch {
                for loop in loops { loop.requestShutdown() }
                for thread in threads { thread.join() }
                pool?.shutdown()
                socket.close()
                loops = []
                threads = []
                throw error
            }
            boundPort = socket.port
            if shutdownRequested { for loop in loops { loop.requestShutdown() } }
            configuration.logger.info("listening", [
                "host": configuration.host, "port": String(socket.port),
                "loops": String(loops.count), "workers": String(configuration.workerCount),
            ])
            return socket.port
        }
    }

    /// Starts graceful shutdown and returns at once: stop accepting, close idle connections,
    /// let requests in flight finish (up to `HTTPTimeouts.shutdownGrace`).
    public func shutdown() {
        let all = lock.withLock { () -> [EventLoop] in
            shutdownRequested = true
            return loops
        }
        for loop in all { loop.requestShutdown() }
    }

    /// Blocks until shutdown has finished: loops joined, workers joined, socket closed.
    public func wait() {
        let (joining, pool, listener) = lock.withLock { () -> ([ThreadHandle], WorkerPool<WorkerJob>?, ListeningSocket?) in
            let taken = (threads, self.pool, self.listener)
            threads = []
            self.pool = nil
            self.listener = nil
            return taken
        }
        for thread in joining { thread.join() }
        pool?.shutdown()
        listener?.close()
        if listener != nil { configuration.logger.info("stopped") }
    }

    /// `start()` then `wait()`.
    public func run() throws {
        try start()
        wait()
    }
}

/// Misuse of `HTTPServer`'s lifecycle.
public enum HTTPServerError: Error, Sendable, Equatable {
    /// `start()` was called twice.
    case alreadyStarted
}
