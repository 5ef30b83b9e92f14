import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// The login check the three portals share: rate limits, equal-time password check, failure
/// counting with lockout and back-off, hash upgrade, session rotation, audit.
///
/// The answer to the user is the same for an unknown account, a wrong password and a locked
/// account (``genericFailure``), so the login form tells nobody which accounts exist.
enum LoginService {
    /// What the user reads after any failed login.
    static let genericFailure =
        "Los datos de ingreso no son correctos. Verifíquelos e intente de nuevo. Después de varios intentos fallidos la cuenta se bloquea temporalmente."

    /// The result of one attempt.
    enum Outcome {
        /// Logged in (the session is rotated); `mustChange` when the password must be changed first.
        case success(User, mustChange: Bool)
        /// Wrong user, wrong password or locked: show ``genericFailure``.
        case failure
    }

    /// Checks `password` for `user` (nil when no account matched `identifier`) and logs in on
    /// success. `identifier` is the key the look-up used (``Identifier/key``, or a key built
    /// from normalized documents), so the per-identifier limit counts what was looked up. Throws ``RateLimited`` when the address or identifier is over its limit.
    /// `useTemporaryPassword` is the portal's own step for a matching temporary password (SOI's
    /// ``SOIRecovery/useTemporaryPassword(userID:clientAddress:now:)``); without one, a
    /// temporary password is a wrong password.
    static func attempt(_ request: WebRequest, portal: Portal, identifier: String, user: User?, password: String,
                        useTemporaryPassword: ((User) throws -> Bool)? = nil) throws -> Outcome {
        try request.rateLimit(identifier: identifier)
        let context = request.context
        let now = context.now
        let match = try context.hashingPool.run { context.verifier.check(password, for: user, now: now) }
        guard let user else {
            request.audit(.loginFailed, detail: "reason=unknown-account")
            return .failure
        }
        // A temporary password goes through a lock: only the registered email received it, so it
        // is SOI's reset, and a lock left by a stranger's guesses must not keep the owner out.
        // So does a promoted one (logged in with before, change not finished, before its deadline).
        let emailed = match == .temporary || (match == .current && user.promotedPasswordDeadline != nil)
        if user.isLocked(at: now), !emailed {
            // A right password stops after one scrypt verification, a wrong one pays two: a
            // locked account refusing a right password must cost what any failure costs, or the
            // answer time tells a stranger the password is right (measured by
            // scripts/bench.d/login-timing.sh).
            if match == .current { try context.hashingPool.run { context.verifier.payLikeAFailure(password) } }
            request.audit(.loginRefused, userID: user.id, detail: "reason=locked")
            return .failure
        }
        switch match {
        case .none:
            try recordFailure(request, user: user, now: now)
            return .failure
        case .temporary:
            // Only SOI issues temporary passwords; elsewhere one is a wrong password.
            guard let useTemporaryPassword, try useTemporaryPassword(user) else {
                try recordFailure(request, user: user, now: now)
                return .failure
            }
            try finishLogin(request, user: user, portal: portal, identifier: identifier, detail: "password=temporary")
            return .success(user, mustChange: true)
        default:
            // Also drops a pending temporary password: the owner knows the current one.
            try context.database.write { tx in try tx.users.recordSuccessfulLogin(id: user.id, now: now) }
            if context.hasher.needsRehash(user.passwordHash) {
                let upgraded = try context.hashingPool.run { try context.hasher.hash(password) }
                try context.database.write { tx in try tx.users.rehashPassword(id: user.id, newHash: upgraded, now: now) }
                request.audit(.passwordRehashed, userID: user.id)
            }
            try finishLogin(request, user: user, portal: portal, identifier: identifier, detail: "password=current")
            return .success(user, mustChange: user.mustChangePassword)
        }
    }

    private static func finishLogin(_ request: WebRequest, user: User, portal: Portal, identifier: String,
                                    detail: String) throws {
        if let route = request.routeLimit { try request.context.rateLimiter.reset(route: route, identifier: identifier) }
        try request.logIn(user, portal: portal)
        request.audit(.loginSucceeded, userID: user.id, detail: detail)
    }

    /// Counts a failure; locks after ``LoginPolicy/lockAfter`` in a row, for a time that
    /// doubles with each lock in the back-off memory.
    private static func recordFailure(_ request: WebRequest, user: User, now: Date) throws {
        let policy = request.context.configuration.login
        // One index look-up however large the audit log grows: a scan here would make real
        // accounts answer slower than unknown ones.
        let earlierLocks = min(16, try request.context.database.read { tx in
            try tx.auditLog.count(userID: user.id, event: AuditEvent.loginLocked.rawValue,
                                  since: now.addingTimeInterval(-policy.backoffMemory))
        })
        let lockFor = min(policy.maximumLock, policy.lockFor * pow(2, Double(earlierLocks)))
        let updated = try request.context.database.write { tx in
            try tx.users.recordFailedLogin(id: user.id, now: now, lockAfter: policy.lockAfter, lockFor: lockFor)
        }
        request.audit(.loginFailed, userID: user.id, detail: "reason=wrong-password failures=\(updated.failedLogins)")
        if updated.isLocked(at: now) {
            request.audit(.loginLocked, userID: user.id, detail: "seconds=\(Int(lockFor))")
        }
    }
}
