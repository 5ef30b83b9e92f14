import ClaveCrypto
import Foundation

/// A thread that keeps one connection `LISTEN`ing on some channels and reports what it hears:
/// how an email enqueued on one node wakes the outbox worker of every node.
///
/// The connection is its own (not from a pool: it is never idle in the pool's sense). When it
/// is lost (server restart, network) the listener reconnects with a growing delay, and says
/// ``Event/listening`` after every (re)connect: notifications sent while it was away are gone,
/// so the receiver should look for work then, not only on a notification.
///
/// ```swift
/// let listener = PostgresListener(configuration: configuration, channels: ["outbox"]) { _ in outbox.wake() }
/// listener.start()
/// ```
public final class PostgresListener: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// Connected and listening (first time, or again after a loss).
        case listening
        case notification(PostgresNotification)
    }

    public let configuration: PostgresConfiguration
    public let channels: [String]
    private let onEvent: @Sendable (Event) -> Void
    private let condition = NSCondition()
    private var stopping = false
    private var running = false
    /// How long one wait lasts: the bound on how late ``stop()`` is noticed.
    private let pollInterval: TimeInterval = 0.25
    /// The delay before a reconnect, doubled after each failure up to `maximumRetryDelay`.
    private let retryDelay: TimeInterval
    private let maximumRetryDelay: TimeInterval

    public init(configuration: PostgresConfiguration, channels: [String], retryDelay: TimeInterval = 0.5,
                maximumRetryDelay: TimeInterval = 10, onEvent: @escaping @Sendable (Event) -> Void) {
        self.configuration = configuration
        self.channels = channels
        self.retryDelay = retryDelay
        self.maximumRetryDelay = maximumRetryDelay
        self.onEvent = onEvent
    }

    deinit { stop() }

    /// Starts the thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running, !stopping else { return }
        running = true
        let thread = Thread { [self] in run() }
        thread.name = "postgres-listener"
        thread.start()
    }

    /// Stops the thread and waits (at most a few poll intervals) for it to close its connection.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        let deadline = Date().addingTimeInterval(5)
        while running, condition.wait(until: deadline) {}
        condition.unlock()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func run() {
        var delay = retryDelay
        let tlsContext = configuration.sslMode == .disable ? nil : try? PostgresConnection.makeTLSContext(configuration)
        while !isStopping {
            do {
                let connection = try PostgresConnection.connect(configuration, tlsContext: tlsContext)
                defer { connection.close() }
                for channel in channels { try connection.listen(channel) }
                delay = retryDelay
                onEvent(.listening)
                while !isStopping {
                    for notification in try connection.waitForNotifications(timeout: pollInterval) {
                        onEvent(.notification(notification))
                    }
                }
            } catch {
                configuration.logger.warning("postgres listener lost its connection; reconnecting",
                                             ["error": "\(error)", "retry_in": String(format: "%.1fs", delay)])
                condition.lock()
                if !stopping { _ = condition.wait(until: Date().addingTimeInterval(delay)) }
                condition.unlock()
                delay = min(maximumRetryDelay, delay * 2)
            }
        }
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
