/// The lifecycle and deadlines of one connection, apart from its socket.
///
/// The event loop reports what happened (bytes parsed, request handed to a handler, response
/// queued or written, shutdown) with the current time, and asks `expired(at:)` which timeout,
/// if any, has passed. Time is a parameter, never read here, so tests drive every timeout with
/// a `ManualClock` and no sleeping (as Hummingbird tests its idle timer).
///
/// ```
///  accept ──▶ awaitingHead ──bytes──▶ readingHead ──head──▶ readingBody
///                ▲                         │                    │
///                │                         └──────request───────┤
///                │                                              ▼
///                └──keep-alive── writing ◀──response─────── processing
///                                  │
///                                  └──close──▶ lingering ──EOF/deadline──▶ closed
/// ```
struct ConnectionStateMachine: Sendable {
    enum State: Equatable, Sendable {
        /// No byte of the next request yet: a fresh connection or an idle keep-alive one.
        case awaitingHead
        /// Part of a request head is buffered.
        case readingHead
        /// The head is complete; the body is arriving.
        case readingBody
        /// A handler has the request; no timeout runs (the handler's time is its own).
        case processing
        /// The response is being written.
        case writing
        /// The response is written and the write side shut; unread client bytes are drained
        /// for a moment before closing, so the client is not sent a reset that would destroy
        /// the response in its receive buffer (RFC 9112 §9.6).
        case lingering
        case closed
    }

    /// Which timeout fired.
    enum Timeout: Equatable, Sendable {
        case handshake, headerRead, bodyRead, keepAliveIdle, write, linger
    }

    /// What the loop does once a response is fully written.
    enum AfterResponse: Equatable, Sendable {
        /// Parse or read the next request on this connection.
        case readNext
        /// Shut the write side and linger.
        case close
    }

    let timeouts: HTTPTimeouts
    private(set) var state: State = .awaitingHead
    /// When the current stage times out, in `ClaveClock.uptime()` nanoseconds (`.max`: never).
    private(set) var deadline: UInt64
    private var timeout: Timeout = .headerRead
    /// False once either side asked to close or the server is shutting down.
    private(set) var keepAlive = true
    /// Requests fully answered on this connection.
    private(set) var requestsServed = 0
    private var draining = false

    /// How long a closing connection drains unread input at most.
    static let lingerTime: UInt64 = 2_000_000_000

    /// A new connection: the header-read timer starts at accept, so a client that connects
    /// and sends nothing is dropped like one that sends a partial head.
    init(timeouts: HTTPTimeouts, now: UInt64) {
        self.timeouts = timeouts
        deadline = now &+ timeouts.headerRead.nanoseconds
    }

    /// An HTTPS connection: until ``handshakeFinished(now:)`` the deadline is the handshake's,
    /// counted from `now` (accept).
    mutating func handshakeStarted(now: UInt64) {
        guard state == .awaitingHead, requestsServed == 0 else { return }
        deadline = now &+ timeouts.handshake.nanoseconds
        timeout = .handshake
    }

    /// Whether the handshake timer runs (the TLS handshake is not finished yet).
    var awaitsHandshake: Bool { timeout == .handshake }

    /// The TLS handshake finished: the header-read timer starts now, as at a plain accept.
    mutating func handshakeFinished(now: UInt64) {
        guard timeout == .handshake else { return }
        timeout = .headerRead
        if state == .awaitingHead { deadline = now &+ timeouts.headerRead.nanoseconds }
    }

    /// The parser consumed bytes and is now in `phase`. Starts the header or body timer the
    /// first time a phase is entered; later bytes do not extend it.
    mutating func parserAdvanced(to phase: HTTPRequestParser.Phase, now: UInt64) {
        switch (state, phase) {
        case (.awaitingHead, .head):
            state = .readingHead
            // A fresh connection's timer already runs since accept.
            if requestsServed > 0 || timeout != .headerRead {
                deadline = now &+ timeouts.headerRead.nanoseconds
            }
            timeout = .headerRead
        case (.awaitingHead, .body), (.readingHead, .body):
            state = .readingBody
            deadline = now &+ timeouts.bodyRead.nanoseconds
            timeout = .bodyRead
        default:
            break
        }
    }

    /// A complete request went to a handler.
    mutating func requestDispatched(keepAlive requested: Bool) {
        guard state != .closed, state != .lingering else { return }
        state = .processing
        deadline = .max
        keepAlive = keepAlive && requested && !draining
    }

    /// A response (or an error answer) is queued for writing. `keepAlive: false` closes the
    /// connection after it, as after every parse error (RFC 9112 §11: no resynchronising).
    mutating func responseQueued(keepAlive allowed: Bool, now: UInt64) {
        guard state != .closed, state != .lingering else { return }
        state = .writing
        keepAlive = keepAlive && allowed && !draining
        deadline = now &+ timeouts.write.nanoseconds
        timeout = .write
    }

    /// The last byte of the response was written.
    mutating func responseWritten(now: UInt64) -> AfterResponse {
        requestsServed += 1
        guard keepAlive, !draining else {
            startLingering(now: now)
            return .close
        }
        state = .awaitingHead
        deadline = now &+ timeouts.keepAliveIdle.nanoseconds
        timeout = .keepAliveIdle
        return .readNext
    }

    /// Closes after draining unread input for a short time.
    mutating func startLingering(now: UInt64) {
        guard state != .closed else { return }
        state = .lingering
        keepAlive = false
        deadline = now &+ min(Self.lingerTime, timeouts.headerRead.nanoseconds)
        timeout = .linger
    }

    /// The timeout that has passed at `now`, if any. The caller closes the connection
    /// (after a 408 for `.headerRead` / `.bodyRead` when part of a request arrived).
    func expired(at now: UInt64) -> Timeout? {
        guard state != .processing, state != .closed, now >= deadline else { return nil }
        return timeout
    }

    /// Whether a timeout at this point deserves a 408 answer: only when a request was under
    /// way. An idle or silent connection is closed without a word, as nginx does.
    var answersRequestTimeout: Bool {
        state == .readingHead || state == .readingBody
    }

    /// Graceful shutdown began. Returns true when the connection can close right away
    /// (nothing in flight); otherwise it closes after its current response.
    mutating func shutdownRequested() -> Bool {
        draining = true
        keepAlive = false
        switch state {
        case .awaitingHead, .closed:
            return true
        default:
            return false
        }
    }

    mutating func closed() {
        state = .closed
        deadline = .max
    }
}
