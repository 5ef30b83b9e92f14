import Foundation

/// How the outbox worker paces itself. Defaults suit one server process sending reset emails.
public struct OutboxWorkerConfiguration: Sendable, Equatable {
    /// Rows claimed and sent per batch (one SMTP connection). Default 20.
    public var batchSize: Int
    /// How long a claimed row stays ours without a renewal. The living worker renews it after
    /// every outcome and every `leaseRenewal` seconds, so it need not cover a whole batch or a
    /// slow server; a process killed mid-batch leaves its rows in `sending`, and they are
    /// claimed again this long after its last renewal. Default 15 s.
    public var lease: TimeInterval
    /// How often the lease of a running batch is renewed while one message takes long (a slow
    /// DATA, a connect timeout). Default a third of the lease, so two renewals may fail before
    /// the rows are lost; at most the lease.
    public var leaseRenewal: TimeInterval
    /// The longest sleep between checks when nothing is due and nobody calls `wake()`; it
    /// bounds the delay for rows enqueued by another process, and for rows a dead process left.
    /// Default 5 s.
    public var idleInterval: TimeInterval
    /// Back-off and give-up rules.
    public var retry: RetryPolicy

    /// The defaults documented on each field; values are clamped to at least 1 (0.01 s for the
    /// idle interval and the renewal).
    public init(batchSize: Int = 20, lease: TimeInterval = 15, leaseRenewal: TimeInterval? = nil,
                idleInterval: TimeInterval = 5, retry: RetryPolicy = RetryPolicy()) {
        self.batchSize = max(1, batchSize)
        self.lease = max(1, lease)
        self.leaseRenewal = min(self.lease, max(0.01, leaseRenewal ?? self.lease / 3))
        self.idleInterval = max(0.01, idleInterval)
        self.retry = retry
    }
}
