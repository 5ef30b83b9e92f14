import Foundation

/// The failed logins counted under one throttle key in the current window.
public struct LoginThrottleState: Sendable, Equatable {
    /// Failures counted since ``windowStartedAt``.
    public var failures: Int
    /// The first failure of the window; the window ends a policy's length after it.
    public var windowStartedAt: Date
    /// No login under this key is let through before this time.
    public var nextAttemptAt: Date

    /// Creates a value from its fields.
    public init(failures: Int, windowStartedAt: Date, nextAttemptAt: Date) {
        self.failures = failures
        self.windowStartedAt = windowStartedAt
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Failed-login counters per throttle key (the HMAC of a portal's normalized identifier, or of
/// a trusted browser's device nonce; the login service makes them). The store only keeps the
/// numbers; `LoginThrottlePolicy` (RecoveryFlows) decides what they mean.
public struct LoginThrottleRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The state under `key`, or nil when nothing was counted there.
    public func state(key: String) throws -> LoginThrottleState? {
        try connection.queryOne("SELECT failures, window_started_at, next_attempt_at FROM login_throttles WHERE key = ?1", [key]) {
            LoginThrottleState(failures: try $0.int(0), windowStartedAt: try $0.date(1), nextAttemptAt: try $0.date(2))
        }
    }
}

extension LoginThrottleRepository where Access == WriteAccess {
    /// Advisory-lock class of the throttle keys (the two-integer form: a space apart from the
    /// migrations' one-integer key).
    static var lockClass: Int { 7_402 }

    /// The state under `key`, read after taking the key's turn until the transaction ends, for
    /// a body that counts on it and saves (``save(_:key:userID:now:)``). On PostgreSQL, where
    /// such bodies run READ COMMITTED (`Database.writeLockingRows`), the turn is a transaction
    /// advisory lock on the key's hash: attempts under one key take turns, so none is lost,
    /// and attempts under different keys never wait for or fail against each other, as they
    /// did under SERIALIZABLE, whose check of an absent key locks the index page where it
    /// would go. SQLite's one writer takes turns already. The lock travels with the read.
    public func lockedState(key: String) throws -> LoginThrottleState? {
        if connection.dialect == .postgres {
            try connection.executeDeferred("SELECT pg_advisory_xact_lock(\(Self.lockClass), hashtext(?1))", [key])
        }
        return try state(key: key)
    }

    /// Stores `state` under `key` for `userID` (nil for an identifier no account has). Called
    /// inside the write transaction that read the old state, so two failures at once both count.
    public func save(_ state: LoginThrottleState, key: String, userID: Int64?, now: Date) throws {
        try connection.execute("""
            INSERT INTO login_throttles (key, user_id, failures, window_started_at, next_attempt_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, failures = excluded.failures,
                window_started_at = excluded.window_started_at, next_attempt_at = excluded.next_attempt_at,
                updated_at = excluded.updated_at
            """, [key, userID, state.failures, state.windowStartedAt, state.nextAttemptAt, now])
    }

    /// Forgets every throttle of the account `userID` (its identifier's and its browsers'), as
    /// a password change does: the guesses were at the old password.
    @discardableResult
    public func clear(userID: Int64) throws -> Int {
        try connection.execute("DELETE FROM login_throttles WHERE user_id = ?1", [userID])
    }

    /// Deletes throttles whose window started before `cutoff`; returns how many.
    @discardableResult
    public func purge(startedBefore cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM login_throttles WHERE window_started_at < ?1 AND next_attempt_at < ?1", [cutoff])
    }
}
