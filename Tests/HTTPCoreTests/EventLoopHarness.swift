#if canImport(Glibc)
import Glibc
#endif
import ClaveLog
import ClaveTime
@testable import HTTPCore
import Testing

/// A poller that reports only what the test scripts, and records what the loop asked of it.
final class ScriptedPoller: Poller {
    /// Event batches, one per `wait`; an empty script means the wait timed out.
    var script: [[PollEvent]] = []
    /// Connection descriptors registered, with their tokens, in order.
    private(set) var registered: [(fd: Int32, token: UInt64)] = []
    /// Descriptors unregistered, in order (the listener's too).
    private(set) var removed: [Int32] = []
    /// Every `wait`'s timeout, in milliseconds.
    private(set) var waits: [Int32] = []

    func addConnection(_ fd: Int32, token: UInt64) throws { registered.append((fd, token)) }
    func addReadable(_ fd: Int32, token: UInt64) throws {}
    func addListener(_ fd: Int32, token: UInt64) throws {}
    func remove(_ fd: Int32) { removed.append(fd) }

    func wait(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void) {
        waits.append(timeoutMilliseconds)
        guard !script.isEmpty else { return }
        for event in script.removeFirst() { body(event) }
    }
}

/// A listener that hands over the server ends of socket pairs the test made.
final class SocketPairListener: ConnectionListener {
    let descriptor: Int32 = -1
    var pending: [Int32] = []

    func accept() -> ListeningSocket.Accepted {
        guard !pending.isEmpty else { return .wouldBlock }
        return .connection(descriptor: pending.removeFirst(), remoteAddress: "socketpair")
    }
}

/// The client end of a socket pair, non-blocking. Closed once: suites run in parallel, and a
/// second close could hit another test's descriptor that reused the number.
final class PeerSocket {
    let descriptor: Int32
    private var isClosed = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        #expect(written == bytes.count)
    }

    /// Everything the server has written so far, without waiting.
    func received() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the server has closed (or shut the write side of) its end: a read returns
    /// end-of-file once the bytes already sent are consumed.
    func seesEndOfFile() -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = Glibc.read(descriptor, &byte, 1)
            if n == 0 { return true }
            if n < 0 { return false }
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(descriptor)
    }
}

/// One event loop over a scripted poller, a socket-pair listener and a manual clock: a test
/// runs it one iteration at a time and nothing waits on real time or a port.
final class EventLoopHarness {
    let clock = ManualClock()
    let poller = ScriptedPoller()
    let listener = SocketPairListener()
    let metrics = Metrics()
    let loop: EventLoop
    private var peers: [PeerSocket] = []

    init(_ responder: any HTTPResponder, timeouts: HTTPTimeouts = HTTPTimeouts()) throws {
        let logger = Logger(label: "loop", sink: .discard)
        let configuration = HTTPServerConfiguration(
            eventLoopCount: 1, workerCount: 1, timeouts: timeouts, accessLog: false, logger: logger, clock: clock)
        loop = try EventLoop(index: 0, listener: listener, configuration: configuration,
                             invoker: ResponderInvoker(responder: responder, logger: logger),
                             metrics: metrics.makeShard(), requestIDPrefix: "t-", poller: poller)
    }

    deinit {
        loop.finish()
        for peer in peers { peer.close() }
    }

    /// Makes a socket pair, lets the loop accept the server end, and returns the client end
    /// with the token the loop registered.
    func connect() throws -> (peer: PeerSocket, token: UInt64) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        try #require(socketpair(AF_UNIX, type, 0, &fds) == 0)
        listener.pending.append(fds[1])
        let before = poller.registered.count
        step(PollEvent(token: EventLoop.listenerToken, readable: true))
        try #require(poller.registered.count == before + 1)
        let peer = PeerSocket(descriptor: fds[0])
        peers.append(peer)
        return (peer, poller.registered[before].token)
    }

    /// One loop iteration in which the poller reports `events` (none: the wait timed out).
    /// Returns false once the loop has finished shutting down.
    @discardableResult
    func step(_ events: PollEvent...) -> Bool {
        poller.script.append(events)
        return loop.iterate()
    }

    /// The peer's bytes or end-of-file are ready on `token`'s socket.
    func readable(_ token: UInt64, hangUp: Bool = false) -> PollEvent {
        PollEvent(token: token, readable: true, hangUp: hangUp)
    }

    /// Open connections as the loop's table, the metrics and the poller each count them.
    var openCounts: (table: Int, metrics: Int, poller: Int) {
        let removedConnections = poller.removed.filter { $0 >= 0 }.count
        return (loop.connections.count, metrics.snapshot().openConnections, poller.registered.count - removedConnections)
    }
}
