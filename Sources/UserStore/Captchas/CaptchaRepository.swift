import ClaveCrypto
import Foundation

/// What checking a captcha answer found.
public enum CaptchaCheck: String, Sendable, Equatable {
    /// The answer matched; the captcha is now used.
    case passed
    /// The answer did not match; the captcha is used up all the same (one try per image).
    case wrongAnswer
    /// Too late.
    case expired
    /// No such captcha, or it was already used.
    case unknown
}

/// Captchas by id, storing the SHA-256 of the (case-sensitive) answer, one attempt each.
public struct CaptchaRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: Connection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// The PNG of an unused, unexpired captcha; nil when there is none (or it has no image).
    public func image(id: String, now: Date) throws -> [UInt8]? {
        try connection.queryOne(
            "SELECT image FROM captchas WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2", [id, now]) { row -> [UInt8]? in
            if case .blob(let bytes) = row.values.first { return bytes }
            return nil
        } ?? nil
    }

    /// Whether an unused, unexpired captcha with this id exists (to serve its image).
    public func isActive(id: String, now: Date) throws -> Bool {
        try connection.queryOne(
            "SELECT 1 FROM captchas WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2", [id, now], { _ in true }) ?? false
    }
}

extension CaptchaRepository where Access == WriteAccess {
    /// Stores a new captcha. `answerHash` is `SHA256.hex(answer)`; `image` is its PNG, drawn
    /// once, so the image route never needs the answer. `sessionHash` is the hash of the session
    /// id of the browser it was drawn for: only a check from that session counts.
    public func create(id: String, answerHash: String, image: [UInt8]? = nil, sessionHash: String? = nil,
                       expiresAt: Date, now: Date) throws {
        try connection.execute("""
            INSERT INTO captchas (id, answer_hash, created_at, expires_at, image, session_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """, [id, answerHash, now, expiresAt, image, sessionHash])
    }

    /// Checks `answerHash` and uses the captcha up, right or wrong, atomically: a second check of
    /// the same id is `.unknown`. The hash comparison is constant-time.
    ///
    /// A check from a session other than the one the captcha was drawn for (`sessionHash`
    /// differs from the stored one, NULL included) is `.unknown` and leaves the captcha as it
    /// was: a captcha solved in one browser cannot be spent from another, and a stranger cannot
    /// burn the owner's.
    public func check(id: String, answerHash: String, sessionHash: String? = nil, now: Date) throws -> CaptchaCheck {
        guard let (stored, expiresAt) = try connection.queryOne(
            "SELECT answer_hash, expires_at FROM captchas WHERE id = ?1 AND used_at IS NULL AND session_hash IS ?2",
            [id, sessionHash], { (try $0.string(0), try $0.date(1)) }) else { return .unknown }
        guard try connection.execute("""
            UPDATE captchas SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL AND session_hash IS ?3
            """, [id, now, sessionHash]) == 1 else {
            return .unknown
        }
        if expiresAt <= now { return .expired }
        return ConstantTime.equals(stored, answerHash) ? .passed : .wrongAnswer
    }

    /// Deletes captchas expired or used before `cutoff`; returns how many.
    @discardableResult
    public func purge(before cutoff: Date) throws -> Int {
        try connection.execute("DELETE FROM captchas WHERE expires_at < ?1 OR used_at < ?1", [cutoff])
    }
}
