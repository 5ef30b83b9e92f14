import Foundation

/// How the outbox worker paces itself. Defaults suit one server process sending reset emails.
public struct OutboxWorkerConfiguration: Sendable, Equatable {
    /// Rows claimed and sent per batch (one SMTP connection). Default 20.
    public var batchSize: Int
    /// How long a claimed row stays ours. A process killed mid-batch leaves its rows in
    /// `sending`; they become due again after the lease, so nothing is lost. It must exceed
    /// the time one batch can take. Default 300 s.
    public var lease: TimeInterval
    /// The longest sleep between checks when nothing is due and nobody calls `wake()`; it
    /// bounds the delay for rows enqueued by another process. Default 5 s.
    public var idleInterval: TimeInterval
    /// Back-off and give-up rules.
    public var retry: RetryPolicy

    /// The defaults documented on each field; values are clamped to at least 1 (0.01 s for the idle interval).
    public init(batchSize: Int = 20, lease: TimeInterval = 300, idleInterval: TimeInterval = 5,
                retry: RetryPolicy = RetryPolicy()) {
        self.batchSize = max(1, batchSize)
        self.lease = max(1, lease)
        self.idleInterval = max(0.01, idleInterval)
        self.retry = retry
    }
}
