import ClaveCrypto
import Foundation
import Synchronization

/// Which password a login matched.
public enum PasswordMatch: Sendable, Equatable {
    /// The user's current password.
    case current
    /// SOI's emailed temporary password (not expired): the flow promotes it and forces a change.
    case temporary
    /// Neither, or there is no such user.
    case none
}

/// Checks a login's password so that the answer costs the same whether or not the account
/// exists (DESIGN.md, Rules: same answer, about the same time).
///
/// Every failed check runs exactly two scrypt verifications: the current password hash (or a
/// fixed dummy hash when the user is unknown) and the temporary password hash (or the dummy when
/// there is none). Without the dummy, "no such user" would answer in microseconds and "wrong
/// password" in tens of milliseconds, telling an attacker which accounts exist. A check whose
/// current password matches stops after one: its timing tells only what the answer says anyway.
public struct PasswordVerifier: Sendable {
    /// The hasher whose cost every check pays.
    public let hasher: PasswordHasher
    /// A hash at the hasher's cost of a random password nobody knows.
    private let dummyHash: String
    private let counter = VerificationCounter()

    /// scrypt verifications run so far by this verifier (and its copies): the work a login
    /// costs, which tests compare across account states (every failure must pay the same).
    public var verifications: Int { counter.value.load(ordering: .relaxed) }

    /// Creates a value from its fields.
    public init(hasher: PasswordHasher = PasswordHasher()) throws(CryptoError) {
        self.hasher = hasher
        self.dummyHash = try hasher.hash(try SecureRandom.token())
    }

    /// Which password of `user` (nil for an unknown account) `password` matches at `now`. The
    /// current password counts only while ``User/currentPasswordWorks(at:)``.
    /// A malformed stored hash counts as no match (and is logged by the caller's audit).
    public func check(_ password: String, for user: User?, now: Date) -> PasswordMatch {
        let current = verify(password, user?.passwordHash)
        // A promoted temporary password past its deadline is no password: the check goes on
        // to the second verification, so its answer costs what any failure costs.
        if current, let user, user.currentPasswordWorks(at: now) { return .current }
        let temporary = verify(password, user?.activeTemporaryPasswordHash(at: now))
        guard user != nil else { return .none }
        return temporary ? .temporary : .none
    }

    /// The second verification a failed check pays, for a caller that turns a matching current
    /// password into a failure anyway (a locked account), so its answer costs what any failure
    /// costs.
    public func payLikeAFailure(_ password: String) {
        _ = verify(password, nil)
    }

    private func verify(_ password: String, _ stored: String?) -> Bool {
        counter.value.add(1, ordering: .relaxed)
        guard let stored else {
            _ = try? hasher.verify(password, against: dummyHash)
            return false
        }
        do {
            return try hasher.verify(password, against: stored)
        } catch {
            // Equalize the cost of a bad stored hash or an over-long password too.
            _ = try? hasher.verify(String(password.prefix(64)), against: dummyHash)
            return false
        }
    }
}

/// The shared count behind ``PasswordVerifier/verifications`` (a class: the verifier is a
/// value copied into every request's context).
private final class VerificationCounter: Sendable {
    let value = Atomic<Int>(0)
}
