/// One client connection, owned by exactly one event loop and touched only on its thread.
///
/// It holds the socket, the parser, the state machine, whether the socket may be read or
/// written without waiting for epoll (edge-triggered readiness), and the response being
/// written.
final class Connection {
    let descriptor: Int32
    /// `generation << 32 | descriptor`: epoll and worker completions name a connection by
    /// token, so a reused descriptor number never receives an old connection's response.
    let token: UInt64
    let remoteAddress: String
    var parser: HTTPRequestParser
    var machine: ConnectionStateMachine

    /// Edge-triggered epoll reported input and no read has returned EAGAIN since.
    var mayRead = true
    /// Epoll reported the peer's FIN or an error: a short read no longer proves the socket is
    /// drained, since no further edge will announce the end-of-file already queued.
    var inputClosed = false
    /// The socket accepts output (reset by EAGAIN, set again by EPOLLOUT).
    var mayWrite = true

    /// The response being written.
    var output = PendingResponse()
    /// The TLS session when the server serves HTTPS (``HTTPServerConfiguration/security``);
    /// nil on a plain connection.
    var session: (any SecureSession)?

    /// The request being answered, for the access log and metrics.
    var currentMethod: HTTPMethod = .get
    var currentPath: Substring = ""
    var currentRequestID = ""
    /// The client the access log names: the socket peer, or whom a trusted proxy forwarded for.
    var currentClient = ""
    var currentStart: UInt64 = 0
    var currentStatus = 0
    var currentIsHead = false
    var currentVersion: HTTPVersion = .http1_1

    init(descriptor: Int32, token: UInt64, remoteAddress: String, limits: HTTPLimits, timeouts: HTTPTimeouts, now: UInt64) {
        self.descriptor = descriptor
        self.token = token
        self.remoteAddress = remoteAddress
        parser = HTTPRequestParser(limits: limits)
        machine = ConnectionStateMachine(timeouts: timeouts, now: now)
    }
}
