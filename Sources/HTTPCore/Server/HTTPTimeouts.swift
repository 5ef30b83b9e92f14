/// How long a connection may take at each stage before the server gives up on it.
///
/// All are on by default, because each stops a different cheap attack: a client that
/// trickles its head (slowloris), one that trickles its body, one that holds an idle
/// keep-alive connection, and one that never reads its response. Values are in seconds as
/// `Duration`s; tests lower them.
public struct HTTPTimeouts: Sendable, Equatable {
    /// From a connection's first byte of a request head (or from accept) to the end of the
    /// head. Not reset by each byte, so one byte every few seconds does not keep a connection.
    /// Over it: 408 and close. Default 10 s.
    public var headerRead: Duration = .seconds(10)
    /// From the end of the head to the end of the body. Over it: 408 and close. Default 30 s.
    public var bodyRead: Duration = .seconds(30)
    /// An idle keep-alive connection between requests. Over it: closed silently. Default 15 s.
    public var keepAliveIdle: Duration = .seconds(15)
    /// From a response being queued to its last byte being accepted by the kernel, so a
    /// client that stops reading is dropped. Default 30 s.
    public var write: Duration = .seconds(30)
    /// How long graceful shutdown waits for requests in flight before closing them anyway.
    /// Default 10 s.
    public var shutdownGrace: Duration = .seconds(10)
    /// HTTPS only: from accept to the end of the TLS handshake, after which the header-read
    /// timer starts. A handshake takes a round trip or two, so this can be shorter than
    /// `headerRead`: a client that connects and sends no hello, or trickles it, holds its
    /// connection (and a TLS session's memory) this long at most. Over it: closed without a
    /// word, as no HTTP answer can be written before the handshake. Default 5 s.
    public var handshake: Duration = .seconds(5)

    public init() {}

    public init(
        headerRead: Duration = .seconds(10),
        bodyRead: Duration = .seconds(30),
        keepAliveIdle: Duration = .seconds(15),
        write: Duration = .seconds(30),
        shutdownGrace: Duration = .seconds(10),
        handshake: Duration = .seconds(5)
    ) {
        self.headerRead = headerRead
        self.bodyRead = bodyRead
        self.keepAliveIdle = keepAliveIdle
        self.write = write
        self.shutdownGrace = shutdownGrace
        self.handshake = handshake
    }

    /// How often a loop checks deadlines: a quarter of the shortest timeout, from 5 ms to 1 s,
    /// so that a timeout fires at most 25% late without waking idle loops often.
    var sweepInterval: Duration {
        let shortest = [headerRead, bodyRead, keepAliveIdle, write, handshake].min() ?? .seconds(1)
        return min(max(shortest / 4, .milliseconds(5)), .seconds(1))
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating instead of trapping.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        return whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}
