import Foundation

/// The outbox: emails written by the flows, delivered later by the mailer's worker.
///
/// Writing the email in the same transaction as the change it announces (a reset token, a
/// temporary password) means no token exists without its email and no email is lost when the
/// process dies; the composite methods that do so (`tx.resetTokens.issue`,
/// `tx.users.setTemporaryPassword`, ...) call `enqueue` on their own transaction's outbox. After
/// delivery the row keeps its metadata but not its bodies.
public struct OutboxRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// Rows in any of `states` (all rows when nil), newest first.
    public func list(states: Set<OutboxState>?, limit: Int) throws -> [OutboxMessage] {
        // The state filter is a fixed set of enum names, bound as parameters all the same.
        let wanted = states.map { $0.map(\.rawValue).sorted() } ?? OutboxState.allCases.map(\.rawValue)
        guard !wanted.isEmpty else { return [] }
        let placeholders = wanted.indices.map { "?\($0 + 2)" }.joined(separator: ", ")
        let arguments: [any SQLBindable] = [max(0, limit)] + wanted
        return try connection.query(
            "SELECT \(OutboxMessage.columns) FROM outbox WHERE state IN (\(placeholders)) ORDER BY id DESC LIMIT ?1",
            arguments, OutboxMessage.init(row:))
    }

    /// One row by id.
    public func find(id: Int64) throws -> OutboxMessage? {
        try connection.queryOne("SELECT \(OutboxMessage.columns) FROM outbox WHERE id = ?1", [id], OutboxMessage.init(row:))
    }

    /// The earliest next_attempt_at among pending/sending rows, for the worker's sleep.
    public func nextDueDate() throws -> Date? {
        try connection.queryOne(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'sending')", [],
            { try $0.optionalDate(0) }) ?? nil
    }
}

extension OutboxRepository where Access == WriteAccess {
    /// Adds a pending message, due now; returns its id.
    /// (Other nodes hear of it from ``OutboxNotifier``, after the commit: see there.)
    @discardableResult
    public func enqueue(_ message: NewOutboxMessage, now: Date) throws -> Int64 {
        try connection.insert(Self.insertion + " RETURNING id", Self.arguments(message, now: now))
    }

    /// Enqueues `message` without reading its id back: on PostgreSQL the INSERT travels with
    /// the transaction's next statement or its COMMIT (``StoreConnection/executeDeferred(_:_:)``),
    /// so an email costs its transaction no round trip of its own.
    public func enqueueDeferred(_ message: NewOutboxMessage, now: Date) throws(StoreError) {
        try connection.executeDeferred(Self.insertion, Self.arguments(message, now: now))
    }

    private static let insertion = """
        INSERT INTO outbox (portal, sender, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, created_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7)
        """

    private static func arguments(_ message: NewOutboxMessage, now: Date) -> [any SQLBindable] {
        [message.portal, message.sender, message.recipient, message.subject, message.textBody, message.htmlBody, now]
    }

    /// Claims up to `limit` due rows (state pending, or sending whose lease ran out): sets
    /// state=sending, next_attempt_at=now+lease and the claim's `token`, so rows claimed by a
    /// process that died become due again after the lease, and only the claim's owner can renew
    /// it (`renewLease`). Oldest first.
    ///
    /// `token` names this claim (one per batch); the default is a fresh random one. Several
    /// nodes claiming at once on PostgreSQL each get rows of their own (`FOR UPDATE SKIP LOCKED`).
    public func claimDue(now: Date, limit: Int, lease: TimeInterval,
                         token: String = UUID().uuidString) throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        // PostgreSQL: rows another node's claim has locked are skipped, not waited for (run it
        // in `database.writeLockingRows`). SQLite has one writer: nothing to skip.
        let skipLocked = connection.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let due = try connection.query("""
            SELECT \(OutboxMessage.columns) FROM outbox
            WHERE state IN ('pending', 'sending') AND next_attempt_at <= ?1
            ORDER BY next_attempt_at, id LIMIT ?2
            """ + skipLocked, [now, limit], OutboxMessage.init(row:))
        let leaseEnd = now.addingTimeInterval(lease)
        var claimed: [OutboxMessage] = []
        for var message in due {
            try connection.execute("UPDATE outbox SET state = 'sending', next_attempt_at = ?1, claim_token = ?2 WHERE id = ?3",
                                   [leaseEnd, token, message.id])
            message.state = .sending
            message.nextAttemptAt = leaseEnd
            claimed.append(message)
        }
        return claimed
    }

    /// Extends to `until` the lease of the rows claim `token` still holds (claimed, no outcome
    /// recorded, not claimed since by another process after the lease lapsed), and returns
    /// their ids: a row missing from the answer is no longer ours and must not be sent.
    /// One statement, so the rows renewed are exactly the rows answered, also under READ
    /// COMMITTED (``Database/writeLockingRows(_:)``).
    public func renewLease(token: String, until: Date) throws -> Set<Int64> {
        Set(try connection.query(
            "UPDATE outbox SET next_attempt_at = ?1 WHERE claim_token = ?2 AND state = 'sending' RETURNING id",
            [until, token]) { try $0.int64(0) })
    }

    /// After a delivery succeeded, the server is reachable again: rows waiting out a back-off
    /// because it was not (`markRetry(..., serverUnavailable: true)`) become due `now`, so an
    /// outage's backlog goes at once, not over the hour its back-offs add up to. Rows deferred
    /// for a reason of their own (a 451 for that recipient) keep their back-off. Returns how
    /// many rows moved.
    @discardableResult
    public func bringForwardWaitingForServer(now: Date) throws -> Int {
        try connection.execute("""
            UPDATE outbox SET next_attempt_at = ?1, waiting_for_server = 0
            WHERE state = 'pending' AND waiting_for_server = 1 AND next_attempt_at > ?1
            """, [now])
    }

    /// state=sent, sent_at, and the bodies scrubbed (set to ''): no link or temporary
    /// password stays in the database.
    public func markSent(id: Int64, at: Date) throws {
        let changed = try connection.execute(
            """
            UPDATE outbox SET state = 'sent', sent_at = ?1, text_body = '', html_body = '', last_error = NULL,
                claim_token = NULL, waiting_for_server = 0 WHERE id = ?2
            """,
            [at, id])
        if changed == 0 { throw StoreError.notFound("outbox message \(id)") }
    }

    /// attempts+1, state=pending, next_attempt_at, last_error. `serverUnavailable` says the
    /// attempt never reached the message (server down, TLS or AUTH refused): such rows are
    /// brought forward by the next delivery that succeeds (`bringForwardWaitingForServer`).
    public func markRetry(id: Int64, error: String, nextAttemptAt: Date, serverUnavailable: Bool = false) throws {
        let changed = try connection.execute("""
            UPDATE outbox SET attempts = attempts + 1, state = 'pending', next_attempt_at = ?1, last_error = ?2,
                claim_token = NULL, waiting_for_server = ?3 WHERE id = ?4
            """, [nextAttemptAt, error, serverUnavailable, id])
        if changed == 0 { throw StoreError.notFound("outbox message \(id)") }
    }

    /// attempts+1, state=dead, last_error=reason, bodies kept (staff can retry). Also writes an
    /// `outbox.dead` audit entry through `tx.auditLog`, in the same transaction.
    public func markDead(id: Int64, reason: String, at: Date) throws {
        guard let portal = try connection.queryOne("SELECT portal FROM outbox WHERE id = ?1", [id], { try $0.string(0) }) else {
            throw StoreError.notFound("outbox message \(id)")
        }
        try connection.execute(
            """
            UPDATE outbox SET attempts = attempts + 1, state = 'dead', last_error = ?1, next_attempt_at = ?2,
                claim_token = NULL, waiting_for_server = 0 WHERE id = ?3
            """,
            [reason, at, id])
        try transaction.auditLog.record(portal: portal, userID: nil, event: "outbox.dead",
                                        detail: "message \(id): \(reason)", at: at)
    }

    /// dead → pending, attempts 0, due now. Returns false if no such dead row.
    public func retry(id: Int64, now: Date) throws -> Bool {
        try connection.execute(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1 WHERE id = ?2 AND state = 'dead'",
            [now, id]) == 1
    }
}
