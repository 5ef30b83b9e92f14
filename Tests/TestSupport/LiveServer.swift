import Foundation
import HTTPCore

/// An `HTTPServer` on a free loopback port for the duration of a test.
///
/// Quiet by default (log level `warning`), with the port read from `start()`, so tests run in
/// parallel. `stop()` shuts it down gracefully and waits; `deinit` does the same.
public final class LiveServer: @unchecked Sendable {
    public let server: HTTPServer
    public let port: Int
    public let host: String
    private let lock = NSLock()
    private var stopped = false

    /// Starts `responder` with `configuration` (its port is forced to 0); `quiet` keeps
    /// the log to warnings and errors.
    public init(
        _ responder: any HTTPResponder,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(eventLoopCount: 2, workerCount: 4),
        quiet: Bool = true
    ) throws {
        var configuration = configuration
        configuration.port = 0
        if quiet { configuration.logger.level = .warning }
        host = configuration.host
        server = HTTPServer(configuration: configuration, responder: responder)
        port = try server.start()
    }

    /// A new raw connection to the server.
    public func connect(timeout: Double = 5) throws -> RawHTTPClient {
        try RawHTTPClient(host: host, port: port, timeout: timeout)
    }

    /// Graceful shutdown, waiting until every thread has finished.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        server.shutdown()
        server.wait()
    }

    deinit { stop() }
}
