import ClaveLog
import ClaveTime
import Foundation
import HTTPCore

/// Hands a request straight to a responder, doing what `HTTPServer` does around it that a
/// test can see, without a socket (Hummingbird's `app.test(.router)`):
///
/// - the request bytes go through the server's own `HTTPRequestParser` with the server's
///   `HTTPLimits`, so a malformed or oversized request gets the same status page (with its
///   security headers and `Connection: close`) as from the event loop;
/// - the request gets the peer address a loopback client has (`127.0.0.1`) and a fresh
///   request id, as `EventLoop.dispatch` gives it;
/// - a thrown `HTTPError` becomes its status page and any other error a 500 page with the
///   request id, as the server's `ResponderInvoker` does;
/// - ``HTTPResponse/minimumLatency`` is honoured: the answer is held until the floor has passed
///   since the request was dispatched (a `ClaveTime.ManualClock` is advanced instead of slept on);
/// - the head is written by the server's `HTTPResponseWriter` (`Date`, `Content-Length`,
///   `Connection`, unsafe fields dropped, HEAD and 204/304 without a body) and read back as a
///   client reads it.
///
/// What stays the live server's alone: keep-alive and pipelining, timeouts, the worker pool's
/// 503, and the event loop's timer itself (`ServerMinimumLatencyTests`).
///
/// ```swift
/// let client = WebClient(transport: InProcessTransport(try ClaveApp(context: context)))
/// let page = try client.get("/secop/ingreso")
/// ```
public struct InProcessTransport: WebTransport {
    /// The address every request comes from: a client on the same machine.
    public static let loopbackPeer = "127.0.0.1"

    public let responder: any HTTPResponder
    public let limits: HTTPLimits
    /// What the latency floor is measured and waited with.
    public let clock: any ClaveClock
    public let logger: Logger
    private let ids = RequestIDs()

    /// `limits` are the parser's (the server's defaults unless a test changes them).
    public init(_ responder: any HTTPResponder, limits: HTTPLimits = HTTPLimits(), clock: any ClaveClock = ClaveTime.SystemClock(),
                logger: Logger = Logger(label: "web", level: .warning)) {
        self.responder = responder
        self.limits = limits
        self.clock = clock
        self.logger = logger
    }

    /// Why a request could not be answered in process.
    public enum Failure: Error, CustomStringConvertible {
        /// The bytes end before the request does; a server would wait, then answer 408.
        case incompleteRequest
        public var description: String { "the request bytes end before the request does" }
    }

    public func exchange(_ request: [UInt8], isHead: Bool) throws -> RawHTTPResponse {
        var parser = HTTPRequestParser(limits: limits)
        request.withUnsafeBytes { parser.append($0) }
        while true {
            switch parser.next() {
            case .request(var parsed):
                parsed.remoteAddress = Self.loopbackPeer
                parsed.requestID = ids.next()
                let start = clock.uptime()
                let response = respond(to: parsed)
                if let latency = response.minimumLatency { wait(until: start &+ Self.nanoseconds(latency)) }
                return Self.written(response, keepAlive: parsed.head.keepAlive,
                                    isHeadRequest: parsed.method == .head, version: parsed.version)
            case .head:
                continue
            case .error(let error):
                let page = ErrorPage.response(error.status, requestID: ids.next())
                return Self.written(page, keepAlive: false, isHeadRequest: false, version: .http1_1)
            case .needMore:
                throw Failure.incompleteRequest
            }
        }
    }

    /// The responder's answer, or the page the server makes of what it threw.
    private func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return try responder.respond(to: request)
        } catch let error as HTTPError {
            return ErrorPage.response(error.status, message: error.message, requestID: request.requestID, headers: error.headers)
        } catch {
            logger.error("handler failed", ["path": String(request.path), "request_id": request.requestID,
                                            "error": String(describing: error)])
            return ErrorPage.response(.internalServerError, requestID: request.requestID)
        }
    }

    /// Holds the answer until `due` on the clock's monotonic reading.
    private func wait(until due: UInt64) {
        if let manual = clock as? ClaveTime.ManualClock {
            let now = manual.uptime()
            if due > now { manual.advance(by: TimeInterval(due - now) / 1e9) }
            return
        }
        while true {
            let now = clock.uptime()
            guard due > now else { return }
            Thread.sleep(forTimeInterval: TimeInterval(due - now) / 1e9)
        }
    }

    /// `response` as the server writes it and a client reads it back.
    static func written(_ response: HTTPResponse, keepAlive: Bool, isHeadRequest: Bool, version: HTTPVersion) -> RawHTTPResponse {
        var dates = HTTPDateCache()
        let head = HTTPResponseWriter.head(for: response, keepAlive: keepAlive, date: dates.current(at: Date()),
                                           isHeadRequest: isHeadRequest, requestVersion: version)
        // The writer always produces a well-formed head; reading it back cannot fail.
        var read = (try? RawHTTPResponse(head: head)) ?? RawHTTPResponse(status: response.status.code, reason: "", headers: [], body: [])
        read.body = !isHeadRequest && response.status.allowsBody ? response.body : []
        return read
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}

/// Request ids shaped like the event loop's (`prefix-loop-counter`), unique per transport.
private final class RequestIDs: @unchecked Sendable {
    private let prefix = String(UInt32.random(in: 0...UInt32.max), radix: 36) + "-p-"
    private let counter = Locked<UInt64>(0)

    func next() -> String {
        prefix + String(counter.withLock { $0 += 1; return $0 }, radix: 36)
    }
}
