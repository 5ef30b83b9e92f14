import ClaveCrypto
import Foundation
import UserStore

extension CajacopiRecovery {
    /// What the new-password step decided (before it becomes a page).
    public enum NewPasswordOutcome: Sendable, Equatable {
        /// The password was changed; the confirmation email is in the outbox.
        case changed(userID: Int64)
        /// The password breaks a rule or does not match its confirmation: the messages to show.
        /// The link still works.
        case rejected([String])
        /// The link cannot be used (unknown, expired, used, superseded).
        case invalidLink(ResetTokenStatus)
    }

    /// What a GET on the link shows: its status and user, without using it. Logged, not
    /// audited: a GET writes nothing (mail scanners and floods of made-up tokens would otherwise
    /// grow the audit log); using the link (the POST) is audited.
    public func openLink(token: String, clientAddress: String) throws -> (status: ResetTokenStatus, user: User?) {
        let (status, user) = try inspectLink(token: token)
        audit.logger.info("reset link opened", ["portal": audit.portal, "status": status.rawValue,
                                                "user": user.map { String($0.id) } ?? "-", "client": clientAddress])
        return (status, user)
    }

    /// A link's status and its user, without using it. A token issued by another portal (or
    /// for another purpose) is `.unknown`: it must not skip Cajacopi's rules.
    public func inspectLink(token: String) throws -> (status: ResetTokenStatus, user: User?) {
        guard Self.isPlausibleToken(token) else { return (.unknown, nil) }
        let lookup = try database.read { tx in
            try tx.resetTokens.lookup(tokenHash: SHA256.hex(token), portal: .cajacopi, purpose: .passwordReset, now: clock.now())
        }
        guard lookup.status == .valid, let userID = lookup.token?.userID else { return (lookup.status, nil) }
        guard let user = try database.read({ tx in try tx.users.find(id: userID) }) else { return (.unknown, nil) }
        return (.valid, user)
    }

    /// Checks the rules first (a rejected password leaves the link usable), then redeems the
    /// link, sets the password, lifts the lock and login throttle (``loginThrottleKeys``), drops
    /// every token and session of the user and enqueues the confirmation, in one transaction.
    public func changePassword(token: String, newPassword: String, confirmation: String,
                               clientAddress: String) throws -> NewPasswordOutcome {
        let (status, found) = try inspectLink(token: token)
        guard status == .valid, let user = found else {
            audit.record(.resetLinkRefused, client: clientAddress, detail: "status=\(status.rawValue)")
            return .invalidLink(status)
        }
        var messages = configuration.policy.messages(for: newPassword, personalData: PersonalData(user: user))
        // Compared as hashed (NFKC): two spellings that log in the same are the same password.
        let confirmed = PasswordHasher.normalized(newPassword) == PasswordHasher.normalized(confirmation)
        if !confirmed {
            messages.append("La confirmación no coincide con la nueva contraseña.")
        }
        guard messages.isEmpty else {
            let rules = configuration.policy.violations(of: newPassword, personalData: PersonalData(user: user))
            let names = rules.map { "\($0)" }.joined(separator: ",")
            audit.record(.passwordRefused, userID: user.id, client: clientAddress,
                         detail: "rules=\(names)\(confirmed ? "" : " confirmation=different")")
            return .rejected(messages)
        }
        let hasher = self.hasher
        let hash = try hashingPool.map { pool in try pool.run { try hasher.hash(newPassword) } } ?? hasher.hash(newPassword)
        let now = clock.now()
        let changedEmail = try mail.passwordChangedEmail(to: user.email, at: now)
        let throttles = loginThrottleKeys(user)
        let result = try database.write { tx in try tx.resetTokens.redeemAndChangePassword(
            tokenHash: SHA256.hex(token), portal: .cajacopi, purpose: .passwordReset, newPasswordHash: hash, now: now,
            clearingRateLimitKeys: throttles, confirmation: { _ in changedEmail }) }
        guard result.status == .valid else {
            // Another tab or a newer request got there between the check and the change.
            audit.record(.resetLinkRefused, userID: user.id, client: clientAddress, detail: "status=\(result.status.rawValue)")
            return .invalidLink(result.status)
        }
        audit.record(.passwordChanged, userID: user.id, client: clientAddress, detail: "via=reset_link sessions_and_tokens=dropped")
        wakeOutbox()
        return .changed(userID: user.id)
    }

    /// Tokens are 43 base64url characters (256 bits); anything else is unknown without a
    /// database trip.
    static func isPlausibleToken(_ token: String) -> Bool {
        token.utf8.count == 43 && Base64URL.decode(token)?.count == 32
    }

    /// The words for a link that cannot be used, by why.
    static func invalidLinkMessage(_ status: ResetTokenStatus) -> String {
        switch status {
        case .expired: return "El enlace para restablecer la contraseña venció. Solicite uno nuevo."
        case .used: return "Este enlace ya fue usado. Si necesita cambiar su contraseña otra vez, solicite un nuevo enlace."
        case .superseded: return "Usted solicitó un enlace más reciente: use el del último correo que le enviamos."
        case .unknown, .valid: return "El enlace no es válido. Revise que lo copió completo del correo o solicite uno nuevo."
        }
    }
}
