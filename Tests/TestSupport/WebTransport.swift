import Foundation
import HTTPCore

/// How a test client's request reaches the app: straight to its responder, or over a socket.
///
/// A transport takes the request exactly as a client writes it on the wire (one request,
/// `Connection: close`) and gives back the response as the client reads it, so the same
/// ``WebClient`` drives the app in process or through a live server.
public protocol WebTransport: Sendable {
    /// Sends `request` (the bytes of one complete request) and returns its response.
    /// `isHead: true` expects no body, whatever `Content-Length` says.
    func exchange(_ request: [UInt8], isHead: Bool) throws -> RawHTTPResponse
}

/// Which transport a harness gives its clients.
///
/// In process is the default: one test body, no socket (Hummingbird's `app.test(.router)`).
/// `.socket` starts a real ``LiveServer``, for the tests whose point is the server itself:
/// parser limits, what the server writes, its event loop's timer, a whole journey end to end.
public enum TestTransport: String, Sendable, CaseIterable {
    /// ``InProcessTransport``: the request is parsed and handed to the responder directly.
    case inProcess
    /// ``SocketTransport`` to a ``LiveServer`` on a loopback port.
    case socket
}

/// A fresh loopback connection per request to `host:port`: what the socket clients always did.
public struct SocketTransport: WebTransport {
    public let host: String
    public let port: Int
    /// How long a read waits for the server, in seconds.
    public let timeout: Double
    /// The local address to connect from (``RawHTTPClient/init(host:port:timeout:source:)``), or nil.
    public let source: String?

    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 30, source: String? = nil) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.source = source
    }

    public func exchange(_ request: [UInt8], isHead: Bool) throws -> RawHTTPResponse {
        let client = try RawHTTPClient(host: host, port: port, timeout: timeout, source: source)
        defer { client.close() }
        try client.send(request)
        return try client.readResponse(forHead: isHead)
    }
}

/// A responder that test clients reach over the chosen ``TestTransport``: in process, or on a
/// live loopback server started here and stopped by ``stop()`` (or on release).
public final class TestEndpoint: @unchecked Sendable {
    /// What clients send through.
    public let transport: any WebTransport
    /// The live server, for `.socket` only.
    public let server: LiveServer?

    /// Serves `responder` over `kind`. `configuration` applies to a live server only.
    public init(_ responder: any HTTPResponder, over kind: TestTransport,
                configuration: HTTPServerConfiguration = HTTPServerConfiguration(eventLoopCount: 1, workerCount: 4)) throws {
        switch kind {
        case .inProcess:
            transport = InProcessTransport(responder, limits: configuration.limits)
            server = nil
        case .socket:
            let server = try LiveServer(responder, configuration: configuration)
            transport = SocketTransport(host: server.host, port: server.port)
            self.server = server
        }
    }

    /// Stops the live server, if any.
    public func stop() { server?.stop() }

    deinit { stop() }
}
