import Foundation

/// What checking a captcha answer found.
public enum CaptchaCheck: String, Sendable, Equatable {
    /// The answer matched; the captcha is now used.
    case passed
    /// The answer did not match; the captcha is used up all the same (one try per image).
    case wrongAnswer
    /// Too late.
    case expired
    /// No such captcha (not ours, or drawn for another browser), or it was already used.
    case unknown
}

/// The ids of captchas already answered or refreshed (`spent_captchas`, migration 9).
///
/// A captcha itself is no row: its id carries its expiry and a MAC, and its answer is derived
/// from a server key (`RecoveryFlows.CaptchaService`), so drawing one writes nothing. This table
/// is what makes a captcha one-time: the POST that checks it records its id first, and a second
/// record of the same id fails. Rows are useless once the id has expired, and purged then.
public struct CaptchaRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// Whether captcha `id` was already used (its image is then no longer served).
    public func isSpent(id: String) throws -> Bool {
        try connection.queryOne("SELECT 1 FROM spent_captchas WHERE id = ?1", [id], { _ in true }) ?? false
    }
}

extension CaptchaRepository where Access == WriteAccess {
    /// Records `id` as used; false when it was used already. Atomic (the primary key decides),
    /// so two concurrent checks of one captcha cannot both pass. `expiresAt` is the id's own
    /// expiry: the row is kept until then, after which the id is refused anyway.
    public func spend(id: String, expiresAt: Date, now: Date) throws -> Bool {
        try connection.execute("INSERT INTO spent_captchas (id, expires_at, spent_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
                               [id, expiresAt, now]) == 1
    }

    /// Deletes the records of captchas expired before `cutoff`; returns how many.
    @discardableResult
    public func purge(before cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM spent_captchas WHERE expires_at < ?1", [cutoff])
    }
}
