import Foundation
import PostgresClient

/// How the outbox worker of every node hears that an email was enqueued on any node: a
/// `LISTEN` on ``channel`` (PostgreSQL only; on SQLite the process that enqueues wakes its own
/// worker, and other processes see the row at their next idle check).
public enum OutboxNotifications {
    /// The channel ``OutboxNotifier`` notifies.
    public static let channel = "clave_outbox"

    /// Starts listening on `database`'s server when it is PostgreSQL, calling `wake` on every
    /// notification and after every (re)connect (notifications sent while the listener was
    /// away are lost, so it looks for work then). Returns nil for SQLite. Stop it with
    /// ``OutboxListener/stop()``.
    public static func listen(_ database: Database, wake: @escaping @Sendable () -> Void) -> OutboxListener? {
        guard case .postgres(let configuration) = database.location else { return nil }
        let listener = PostgresListener(configuration: configuration, channels: [channel]) { _ in wake() }
        listener.start()
        return OutboxListener(listener: listener)
    }
}

/// A running ``OutboxNotifications/listen(_:wake:)``.
public final class OutboxListener: Sendable {
    private let listener: PostgresListener

    init(listener: PostgresListener) { self.listener = listener }

    /// Stops the listening thread and closes its connection.
    public func stop() { listener.stop() }
}
