/// What a transaction may do, as a type: ``ReadAccess`` or ``WriteAccess``.
///
/// Repositories are generic over it. Their reading methods are declared for any access; their
/// writing methods only `where Access == WriteAccess`, so calling one inside `database.read`
/// does not compile (rather than failing at run time on a read-only connection).
public protocol TransactionAccess {}

/// Reads only: `database.read { tx in ... }`, on a pooled reader, one snapshot.
public enum ReadAccess: TransactionAccess {}

/// Reads and writes: `database.write { tx in ... }`, on the writer, `BEGIN IMMEDIATE`.
public enum WriteAccess: TransactionAccess {}

/// One open transaction, handed to the body of `Database.read` or `Database.write`, and the
/// only way to reach the repositories.
///
/// A transaction holds a connection, never the `Database`, and so do the repositories it hands
/// out: nothing reachable from `tx` can begin another transaction, which is what makes nesting
/// impossible by construction (there is no `tx.write`, no `tx.users.database`). Several steps
/// written through `tx` commit or roll back together:
///
/// ```swift
/// try database.write { tx in
///     guard let user = try tx.users.findSecop(username: "ana") else { return }
///     try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: hash,
///                              expiresAt: now + 1800, now: now, email: message)
///     try tx.auditLog.record(portal: "secop", userID: user.id, event: "reset.sent", at: now)
/// }
/// ```
///
/// It is not `Sendable` and must not outlive the body it was given to: its connection goes back
/// to the pool (or to the next writer) when the body returns.
public struct Transaction<Access: TransactionAccess> {
    /// The connection the transaction runs on: for migrations, the store's own low-level tests
    /// and the crash-test helper (`@_spi(RawSQL) import UserStore`), never for the flows.
    @_spi(RawSQL) public let connection: any StoreConnection

    init(connection: any StoreConnection) { self.connection = connection }

    /// Users and aportantes.
    public var users: UserRepository<Access> { UserRepository(transaction: self) }
    /// Browser sessions.
    public var sessions: SessionRepository<Access> { SessionRepository(transaction: self) }
    /// Reset tokens (issued with their email).
    public var resetTokens: ResetTokenRepository<Access> { ResetTokenRepository(transaction: self) }
    /// Captchas.
    public var captchas: CaptchaRepository<Access> { CaptchaRepository(transaction: self) }
    /// The outbox the mailer empties.
    public var outbox: OutboxRepository<Access> { OutboxRepository(transaction: self) }
    /// The audit log.
    public var auditLog: AuditLogRepository<Access> { AuditLogRepository(transaction: self) }
    /// The development mailbox.
    public var mailbox: MailboxRepository<Access> { MailboxRepository(transaction: self) }
    /// Rate-limit counters.
    public var rateLimits: RateLimitRepository<Access> { RateLimitRepository(transaction: self) }
    /// Failed-login throttles per identifier and per trusted browser.
    public var loginThrottles: LoginThrottleRepository<Access> { LoginThrottleRepository(transaction: self) }
    /// The server's own secret keys (rate-limit keying, flash-notice signing).
    public var serverKeys: ServerKeyRepository<Access> { ServerKeyRepository(transaction: self) }
    /// Leases on periodic jobs (housekeeping) shared by every process on the store.
    public var maintenanceLeases: MaintenanceLeaseRepository<Access> { MaintenanceLeaseRepository(transaction: self) }
    /// The schema version and the migrations applied.
    public var migrations: MigrationRepository<Access> { MigrationRepository(transaction: self) }
}

/// The transaction `Database.read` hands out.
public typealias ReadTransaction = Transaction<ReadAccess>

/// The transaction `Database.write` hands out.
public typealias WriteTransaction = Transaction<WriteAccess>
