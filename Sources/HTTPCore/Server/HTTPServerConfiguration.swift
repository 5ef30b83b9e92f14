import ClaveLog
import ClaveTime
#if canImport(Glibc)
import Glibc
#endif

/// Everything `HTTPServer` needs to know before it starts, with documented defaults.
///
/// ```swift
/// var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
/// configuration.timeouts.headerRead = .seconds(2)
/// let server = HTTPServer(configuration: configuration, responder: router)
/// let port = try server.start()
/// ```
public struct HTTPServerConfiguration: Sendable {
    /// Address to listen on: `127.0.0.1` (default), `::1`, `0.0.0.0`, or `::` for every IPv4
    /// and IPv6 address.
    public var host: String
    /// TCP port; 0 picks a free one, which `start()` returns. Default 8080.
    public var port: Int
    /// Event-loop threads (one epoll each). Default: the number of CPU cores.
    public var eventLoopCount: Int
    /// Worker threads that run handlers. Default: twice the cores, at least 4, since handlers
    /// block on SQLite and hashing rather than on CPU alone.
    public var workerCount: Int
    /// Requests that may wait for a worker; beyond it the server answers 503. Default 1024.
    public var queueCapacity: Int
    /// Seconds suggested in `Retry-After` on a 503. Default 1.
    public var retryAfterSeconds: Int
    /// Parser limits (sizes of the request line, header fields and body).
    public var limits: HTTPLimits
    /// Header, body, keep-alive and write timeouts.
    public var timeouts: HTTPTimeouts
    /// Whether each request writes an access-log line (method, path without query, status,
    /// bytes, duration, request id, client, socket peer). Default on.
    public var accessLog: Bool
    /// Reverse proxies whose forwarding fields name the client in the access log's `client=`
    /// (`peer=` is always the socket's), by the rules of
    /// ``HTTPRequest/clientAddress(trustedProxies:)``. Default none. The application resolves
    /// the client for itself with the same rules (and answers 400 to a field that does not
    /// parse); give both the same value.
    public var trustedProxies: TrustedProxies = .none
    /// `listen(2)` backlog. Default 1024.
    public var backlog: Int32
    /// Client connections open at once, shared evenly between the event loops. At its share a
    /// loop stops accepting (the newcomers wait in the backlog), counts the pause in
    /// `clave_http_accept_pauses_total`, and goes on serving the connections it has; it
    /// accepts again as soon as one closes. Default ``defaultMaxConnections``.
    public var maxConnections: Int
    /// Logger for the access log, handler errors and socket trouble.
    public var logger: Logger
    /// The clock for timeouts, held responses and latencies (its `uptime()`) and for the
    /// `Date` header (its `now()`). Default `SystemClock()`; tests pass a `ManualClock` to fire
    /// timeouts without sleeping.
    public var clock: any ClaveClock
    /// TLS for every connection (HTTPS), or nil for plain HTTP (default). `clave serve
    /// --tls-cert` passes ClaveCrypto's `TLSServerContext`. The handshake runs on the event
    /// loops and is bounded by ``HTTPTimeouts/headerRead``, which runs from accept.
    public var security: (any ConnectionSecurity)? = nil

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        eventLoopCount: Int = HTTPServerConfiguration.coreCount,
        workerCount: Int = max(4, 2 * HTTPServerConfiguration.coreCount),
        queueCapacity: Int = 1024,
        retryAfterSeconds: Int = 1,
        limits: HTTPLimits = HTTPLimits(),
        timeouts: HTTPTimeouts = HTTPTimeouts(),
        accessLog: Bool = true,
        backlog: Int32 = 1024,
        maxConnections: Int = HTTPServerConfiguration.defaultMaxConnections,
        logger: Logger = Logger(label: "http"),
        clock: any ClaveClock = SystemClock()
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.workerCount = workerCount
        self.queueCapacity = queueCapacity
        self.retryAfterSeconds = retryAfterSeconds
        self.limits = limits
        self.timeouts = timeouts
        self.accessLog = accessLog
        self.backlog = backlog
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
        self.clock = clock
    }

    /// The soft file-descriptor limit (`RLIMIT_NOFILE`) less headroom for what else the process
    /// opens (the database and its readers, log and SMTP sockets, the listener, epoll and
    /// eventfd descriptors): a quarter of the limit, at least 64, is kept back, so reaching the
    /// cap pauses accepting instead of running out of descriptors mid-request. At least 16.
    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 4096 }
        let soft = Int(clamping: limit.rlim_cur)
        return max(16, soft - max(64, soft / 4))
    }

    /// Online CPU cores, at least 1.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
