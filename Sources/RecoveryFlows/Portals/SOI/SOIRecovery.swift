import ClaveCrypto
import ClaveLog
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
/// secrets; rate limits per client address and per submitted identity.
public struct SOIRecovery: Sendable {
    /// Users, temporary passwords and password changes, and the audit log of every step.
    public let database: Database
    /// The shell's limits per client address and per submitted identity (routes
    /// `soi.forgot-password` and `soi.change-password` of its `RateLimitPolicy`).
    public let rateLimiter: RateLimiter
    /// Hashes new and temporary passwords.
    public let hasher: PasswordHasher
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
    public init(database: Database, hasher: PasswordHasher, verifier: PasswordVerifier, mail: SOIRecoveryMail,
                rules: SOIPasswordRules, configuration: SOIRecoveryConfiguration, rateLimiter: RateLimiter,
                mailEnqueued: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.rateLimiter = rateLimiter
        self.hasher = hasher
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

    /// The shell's route name of the recovery request, for its rate limits.
    public static let requestRoute = "soi.forgot-password"
    /// The shell's route name of "Cambio de Clave", for its rate limits (identifier: the user).
    public static let changeRoute = "soi.change-password"

    /// "¿Olvidó su clave?": when Aportante, Usuario and correo match one SOI user, stores a new
    /// temporary password (replacing any earlier one: only the newest works) and enqueues its
    /// email in one transaction. Either way a password is generated and hashed, so both answers
    /// cost the same scrypt work. Throws `RateLimited` when the client address or the submitted
    /// identity (existing or not) is over its limit: the shell answers 429.
    public func requestTemporaryPassword(_ request: SOIRecoveryRequest, clientAddress: String, now: Date) throws -> RequestOutcome {
        do {
            try rateLimiter.check(route: SOIRecovery.requestRoute, address: clientAddress,
                                  identifier: request.identifierKey, now: now)
        } catch let limited as RateLimited {
            try database.write { tx in try tx.auditLog.record(portal: "soi", userID: nil, event: "soi.recovery.rate-limited", clientAddress: clientAddress,
                                                              detail: "aportante=\(request.aportante) usuario=\(request.usuario)", at: now) }
            throw limited
        }
        let temporary = try SecureRandom.readablePassword(groups: configuration.temporaryPasswordGroups)
        let hash = try hasher.hash(temporary)
        let found = try database.read { tx in try tx.users.findSOI(aportante: request.aportante, user: request.usuario) }
        // The email is compared whole in constant time: which prefix matched stays unknown.
        let emailMatches = ConstantTime.equals(found?.email.lowercased() ?? "\u{0}invalid", request.email)
        guard let user = found, emailMatches else {
            try database.write { tx in try tx.auditLog.record(portal: "soi", userID: found?.id, event: "soi.recovery.no-match", clientAddress: clientAddress,
                                                              detail: "aportante=\(request.aportante) usuario=\(request.usuario)"
                                                                  + (found == nil ? " motivo=sin-usuario" : " motivo=correo-distinto"), at: now) }
            return .noMatch
        }
        let expiresAt = now.addingTimeInterval(configuration.temporaryPasswordLifetime)
        let message = try mail.temporaryPassword(temporary, user: user, aportante: request.aportante, expiresAt: expiresAt)
        let outboxID = try database.write { tx in try tx.users.setTemporaryPassword(id: user.id, hash: hash, expiresAt: expiresAt, now: now, email: message) }
        try database.write { tx in try tx.auditLog.record(portal: "soi", userID: user.id, event: "soi.recovery.temporary-password-sent",
                                                          clientAddress: clientAddress, detail: "outbox=\(outboxID) vence=\(Int(expiresAt.timeIntervalSince1970))",
                                                          at: now) }
        logger.info("temporary password enqueued", ["user": String(user.id), "outbox": String(outboxID)])
        mailEnqueued()
        return .sent(userID: user.id)
    }

    /// The login matched the temporary password (`PasswordVerifier.check` said `.temporary`):
    /// it becomes the password, the old one stops working, and "Cambio de Clave" is forced.
    /// False when it was used or expired in between (treat the login as failed).
    public func useTemporaryPassword(userID: Int64, clientAddress: String, now: Date) throws -> Bool {
        let promoted = try database.write { tx in try tx.users.promoteTemporaryPassword(id: userID, now: now) }
        try database.write { tx in try tx.auditLog.record(portal: "soi", userID: userID,
                                                          event: promoted ? "soi.recovery.temporary-password-used" : "soi.recovery.temporary-password-stale",
                                                          clientAddress: clientAddress, at: now) }
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
    /// Throws `RateLimited` past the limit (only submissions that reach the Clave Actual check
    /// count): it must not become a guessing oracle for a stolen session.
    public func changePassword(userID: Int64, current: String, new: String, confirmation: String,
                               keepingSession: String?, clientAddress: String, now: Date) throws -> ChangeOutcome {
        guard let user = try database.read({ tx in try tx.users.find(id: userID) }), user.portal == .soi else {
            return .refused(SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta."))
        }
        // The rules first: they need no secret, so a typo in the new clave costs no attempt.
        if let problem = rules.problem(new: new, confirmation: confirmation, current: current, user: user) {
            try database.write { tx in try tx.auditLog.record(portal: "soi", userID: userID, event: "soi.password-change.refused",
                                                              clientAddress: clientAddress, detail: "campo=\(problem.field)", at: now) }
            return .refused(problem)
        }
        do {
            try rateLimiter.check(route: SOIRecovery.changeRoute, address: clientAddress, identifier: "user:\(userID)", now: now)
        } catch let limited as RateLimited {
            try database.write { tx in try tx.auditLog.record(portal: "soi", userID: userID, event: "soi.password-change.rate-limited",
                                                              clientAddress: clientAddress, at: now) }
            throw limited
        }
        guard verifier.check(current, for: user, now: now) == .current else {
            try database.write { tx in try tx.auditLog.record(portal: "soi", userID: userID, event: "soi.password-change.wrong-current",
                                                              clientAddress: clientAddress, at: now) }
            return .refused(SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta."))
        }
        let newHash = try hasher.hash(new)
        let notice = try mail.passwordChanged(user: user, at: now)
        try database.write { tx in try tx.users.changePassword(id: userID, newHash: newHash, mustChange: false, keepingSession: keepingSession,
                                                               confirmation: notice, now: now) }
        try database.write { tx in try tx.auditLog.record(portal: "soi", userID: userID, event: "soi.password-change.done", clientAddress: clientAddress,
                                                          detail: user.mustChangePassword ? "tras=clave-temporal" : "tras=eleccion", at: now) }
        mailEnqueued()
        return .changed
    }
}
