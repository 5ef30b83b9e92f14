import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import UserStore

/// SOI's recovery, without HTTP: "¿Olvidó su clave?" (a temporary password by email), the
/// login's switch to the temporary password, and "Cambio de Clave". The pages
/// (`SOIRecoveryPages`) call these; tests call them directly too.
///
/// The rules it keeps (DESIGN.md, Rules): the same work and the same answer whether or not the
/// three values match a user; the email enqueued in the same transaction as the temporary
/// password; the old password working until the temporary one is used; after a change every
/// other session and outstanding token dropped and a notice sent; every step audited without
/// secrets (``AuditTrail``: a failed write is logged, never thrown).
///
/// Like every portal's steps, it bounds its own hashing (`hashingPool`) and leaves the rate
/// limits to the routes layer, which passes `spendLimit`: the step calls it at the moment an
/// attempt counts (a request: before any work; a change: once the rules pass, so a typo in the
/// new clave costs no attempt).
public struct SOIRecovery: Sendable {
    /// Users, temporary passwords and password changes.
    public let database: Database
    /// Where every step is recorded.
    public let audit: AuditTrail
    /// Hashes new and temporary passwords.
    public let hasher: PasswordHasher
    /// Bounds how many hashes run at once (nil: unbounded, for tests of the steps alone).
    public let hashingPool: PasswordHashingPool?
    /// Checks Clave Actual.
    public let verifier: PasswordVerifier
    /// Builds the emails.
    public let mail: SOIRecoveryMail
    /// What a new password must satisfy.
    public let rules: SOIPasswordRules
    /// Lifetimes and limits.
    public let configuration: SOIRecoveryConfiguration
    /// Called after an email is enqueued, to wake the outbox worker.
    public let mailEnqueued: @Sendable () -> Void
    let logger = Logger(label: "soi")

    /// Creates the flow over one database.
    public init(database: Database, hasher: PasswordHasher, verifier: PasswordVerifier, hashingPool: PasswordHashingPool? = nil,
                mail: SOIRecoveryMail, rules: SOIPasswordRules, configuration: SOIRecoveryConfiguration,
                clock: any ClaveClock = SystemClock(), mailEnqueued: @escaping @Sendable () -> Void = {}) {
        self.database = database
        audit = AuditTrail(database: database, portal: Portal.soi.rawValue, logger: Logger(label: "soi"), clock: clock)
        self.hasher = hasher
        self.hashingPool = hashingPool
        self.verifier = verifier
        self.mail = mail
        self.rules = rules
        self.configuration = configuration
        self.mailEnqueued = mailEnqueued
    }

    /// What happened to a recovery request. Pages show `.sent` and `.noMatch` identically.
    public enum RequestOutcome: Sendable, Equatable {
        /// A temporary password was stored and its email enqueued.
        case sent(userID: Int64)
        /// The three values match no user: nothing stored, nothing sent.
        case noMatch
    }

    /// The rate limit of the recovery request (a ``RateLimitPolicy`` route name).
    public static let requestRoute = "soi.forgot-password"
    /// The rate limit of "Cambio de Clave" (identifier: the user).
    public static let changeRoute = "soi.change-password"

    /// `body` on the hashing pool when there is one.
    private func hashing<T>(_ body: () throws -> T) throws -> T {
        try hashingPool.map { try $0.run(body) } ?? body()
    }

    /// "¿Olvidó su clave?": when Aportante, Usuario and correo match one SOI user, stores a new
    /// temporary password (replacing any earlier one: only the newest works) and enqueues its
    /// email in one transaction. Either way a password is generated and hashed, so both answers
    /// cost the same scrypt work. `spendLimit` is called first: it throws `RateLimited` when the
    /// client address or the submitted identity (existing or not) is over its limit.
    public func requestTemporaryPassword(_ request: SOIRecoveryRequest, clientAddress: String, now: Date,
                                         spendLimit: () throws -> Void = {}) throws -> RequestOutcome {
        try spendLimit()
        let temporary = try SecureRandom.readablePassword(groups: configuration.temporaryPasswordGroups)
        let hash = try hashing { try hasher.hash(temporary) }
        let found = try database.read { tx in try tx.users.findSOI(aportante: request.aportante, user: request.usuario) }
        // The email is compared whole in constant time: which prefix matched stays unknown.
        let emailMatches = ConstantTime.equals(found?.email.lowercased() ?? "\u{0}invalid", request.email)
        guard let user = found, emailMatches else {
            audit.record(.resetRequested, userID: found?.id, client: clientAddress,
                         detail: "account=unknown" + (found == nil ? " reason=no-user" : " reason=other-email"))
            return .noMatch
        }
        let expiresAt = now.addingTimeInterval(configuration.temporaryPasswordLifetime)
        let message = try mail.temporaryPassword(temporary, user: user, aportante: request.aportante, expiresAt: expiresAt)
        let outboxID = try database.write { tx in
            try tx.users.setTemporaryPassword(id: user.id, hash: hash, expiresAt: expiresAt, now: now, email: message)
        }
        audit.record(.resetRequested, userID: user.id, client: clientAddress,
                     detail: "account=found outbox=\(outboxID) expires=\(Int(expiresAt.timeIntervalSince1970))")
        logger.info("temporary password enqueued", ["user": String(user.id), "outbox": String(outboxID)])
        mailEnqueued()
        return .sent(userID: user.id)
    }

    /// The login matched the temporary password (`PasswordVerifier.check` said `.temporary`):
    /// it becomes the password, the old one stops working, and "Cambio de Clave" is forced.
    /// False when it was used or expired in between (treat the login as failed).
    public func useTemporaryPassword(userID: Int64, clientAddress: String, now: Date) throws -> Bool {
        let promoted = try database.write { tx in try tx.users.promoteTemporaryPassword(id: userID, now: now) }
        audit.record(promoted ? .temporaryPasswordUsed : .temporaryPasswordStale, userID: userID, client: clientAddress)
        return promoted
    }

    /// What happened to a "Cambio de Clave" submission.
    public enum ChangeOutcome: Sendable, Equatable {
        /// The password changed; other sessions and tokens are gone; the notice is enqueued.
        case changed
        /// A field was refused (wrong Clave Actual, policy, confirmation); nothing changed.
        case refused(SOIFieldError)
    }

    /// "Cambio de Clave" for the logged-in `userID`. Checks the rules, then Clave Actual against
    /// the current password (the temporary one once used); on success stores the new hash,
    /// clears the must-change flag, drops every token and session of the user but
    /// `keepingSession` (the one making the change) and enqueues the notice, in one transaction.
    /// `spendLimit` is called once the rules pass, before Clave Actual is checked (so only
    /// submissions that reach the check count): it throws `RateLimited` past the limit, so the
    /// form cannot become a guessing oracle for a stolen session.
    public func changePassword(userID: Int64, current: String, new: String, confirmation: String,
                               keepingSession: String?, clientAddress: String, now: Date,
                               spendLimit: () throws -> Void = {}) throws -> ChangeOutcome {
        guard let user = try database.read({ tx in try tx.users.find(id: userID) }), user.portal == .soi else {
            return .refused(SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta."))
        }
        // The rules first: they need no secret, so a typo in the new clave costs no attempt.
        if let problem = rules.problem(new: new, confirmation: confirmation, current: current, user: user) {
            audit.record(.passwordRefused, userID: userID, client: clientAddress, detail: "field=\(problem.field)")
            return .refused(problem)
        }
        try spendLimit()
        guard try hashing({ verifier.check(current, for: user, now: now) }) == .current else {
            audit.record(.passwordRefused, userID: userID, client: clientAddress, detail: "current=wrong")
            return .refused(SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta."))
        }
        let newHash = try hashing { try hasher.hash(new) }
        let notice = try mail.passwordChanged(user: user, at: now)
        try database.write { tx in try tx.users.changePassword(id: userID, newHash: newHash, mustChange: false, keepingSession: keepingSession,
                                 confirmation: notice, now: now) }
        audit.record(.passwordChanged, userID: userID, client: clientAddress,
                     detail: user.mustChangePassword ? "via=temporary_password" : "via=change_form")
        mailEnqueued()
        return .changed
    }
}
