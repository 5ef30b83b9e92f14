import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import Templates
import UserStore

/// SECOP II's recovery steps, without HTTP: "Olvidé la contraseña", "Olvidé el usuario", and
/// the emailed link's change page. The web handlers (`SECOPRecoveryRoutes`) turn forms into
/// these calls and outcomes into pages; tests call them directly against a real SQLite file.
///
/// Every step keeps DESIGN.md's rules: requests do the same work and give the same answer
/// whether or not the account exists; tokens are 256-bit, stored as SHA-256 only, single use,
/// superseded by a newer one; mail goes through the outbox in the token's transaction; a
/// change drops every token and session and sends a notice; the audit log gets every step
/// without secrets.
public struct SECOPRecovery: Sendable {
    /// The store.
    public let database: Database
    /// Renders the emails.
    public let composer: EmailComposer
    /// Hashes a new password; the shell passes one that runs on its small hashing pool, so
    /// scrypt never occupies every request worker.
    public let hashPassword: @Sendable (String) throws -> String
    /// The new-password rules.
    public let policy: SECOPPasswordPolicy
    /// Link lifetime, public URL, input limits.
    public let configuration: SECOPRecoveryConfiguration
    /// The time, a parameter so tests can expire links without sleeping.
    public let clock: any ClaveClock
    /// Called after an email is enqueued, to wake the outbox worker.
    public let wakeOutbox: @Sendable () -> Void
    /// Operational log (never a token, link or password).
    public let logger: Logger
    /// The rate-limit keys of the account's login throttle, forgotten with a completed change
    /// (the routes layer owns the limits, so it says which; none by default).
    public let loginThrottleKeys: @Sendable (User) -> [String]

    /// Creates a value from its parts.
    public init(database: Database, composer: EmailComposer, hashPassword: @escaping @Sendable (String) throws -> String,
                policy: SECOPPasswordPolicy,
                configuration: SECOPRecoveryConfiguration, clock: any ClaveClock = SystemClock(),
                wakeOutbox: @escaping @Sendable () -> Void = {}, logger: Logger = Logger(label: "secop"),
                loginThrottleKeys: @escaping @Sendable (User) -> [String] = { _ in [] }) {
        self.database = database
        self.composer = composer
        self.hashPassword = hashPassword
        self.policy = policy
        self.configuration = configuration
        self.clock = clock
        self.wakeOutbox = wakeOutbox
        self.logger = logger
        self.loginThrottleKeys = loginThrottleKeys
    }

    /// The subject of the reset email.
    public static let resetSubject = "SECOP II - Recuperar contraseña"
    /// The subject of the user-name reminder.
    public static let reminderSubject = "SECOP II - Recordar nombre de usuario"

    /// Appends an audit entry, logging (not throwing) a failed write: the step it records has
    /// already committed, and the user must still get its answer, not a 500.
    private func record(userID: Int64?, event: AuditEvent, clientAddress: String?, detail: String, at now: Date) {
        AuditTrail(database: database, portal: Portal.secop.rawValue, logger: logger, clock: clock)
            .record(event, userID: userID, client: clientAddress, detail: detail)
    }

    // MARK: Olvidé la contraseña

    /// Emails a change link to the user named `username`, superseding every earlier link.
    ///
    /// Returns normally whether or not the user exists: the caller shows one answer. The work
    /// is the same too: a token is drawn and hashed and the email rendered for an unknown name
    /// as well; only the store write differs, which the shell's timing floor covers.
    ///
    /// The name is read once as an ``Identifier``; `spendLimit` gets it (the routes spend the
    /// per-name limit with its key) after the input checks and before the look-up by the same
    /// key. Unusable input (empty, too long, a control character) is refused before either.
    public func requestPasswordReset(username rawUsername: String, clientAddress: String?,
                                     spendLimit: (Identifier) throws -> Void = { _ in }) throws {
        let username: Identifier
        do {
            username = try Identifier(rawUsername)
        } catch .controlCharacter {
            throw SECOPRecoveryError.input(.controlCharacter)
        } catch {
            throw SECOPRecoveryError.input(.invalidUsername)
        }
        guard username.value.count <= configuration.maximumUsernameLength else {
            throw SECOPRecoveryError.input(.invalidUsername)
        }
        try spendLimit(username)
        let now = clock.now()
        let user = try database.read { tx in try tx.users.findSecop(username: username) }
        let token = try SecureRandom.token()
        let tokenHash = SHA256.hex(token)
        let shownName = user?.username ?? username.value
        let message = try composer.compose(
            portal: .secop, name: "restablecer-contrasena", to: user?.email ?? "nadie@invalid", subject: Self.resetSubject,
            context: ["usuario": .string(shownName), "enlace": .string(configuration.changeLink(token: token)),
                      "minutos": .int(Int(configuration.linkLifetime / 60))])
        guard let user else {
            record(userID: nil, event: .resetRequested, clientAddress: clientAddress,
                             detail: "account=unknown", at: now)
            return
        }
        try database.writeLockingRows { tx in try tx.resetTokens.issue(
            userID: user.id, purpose: .passwordReset, tokenHash: tokenHash,
            expiresAt: now.addingTimeInterval(configuration.linkLifetime), now: now, email: message) }
        record(userID: user.id, event: .resetRequested, clientAddress: clientAddress,
                         detail: "account=found link_minutes=\(Int(configuration.linkLifetime / 60))", at: now)
        logger.info("secop reset link issued", ["user": String(user.id)])
        wakeOutbox()
    }

    // MARK: Olvidé el usuario

    /// Emails every user name registered to `email`, if there are any. Returns normally either
    /// way: the caller shows one answer, so the form tells nobody which addresses have accounts.
    /// As for the password, the address is read once as an ``Identifier`` whose key is both
    /// spent (`spendLimit`) and looked up; unusable input is refused before either.
    public func requestUsernameReminder(email rawEmail: String, clientAddress: String?,
                                        spendLimit: (Identifier) throws -> Void = { _ in }) throws {
        let typed: Identifier
        do {
            typed = try Identifier(rawEmail)
        } catch .controlCharacter {
            throw SECOPRecoveryError.input(.controlCharacter)
        } catch {
            throw SECOPRecoveryError.input(.invalidEmail)
        }
        guard let email = EmailAddress(typed.value) else { throw SECOPRecoveryError.input(.invalidEmail) }
        try spendLimit(typed)
        let now = clock.now()
        let users = try database.read { tx in try tx.users.findSecop(email: typed) }
        let names = users.compactMap(\.username)
        let message = try composer.compose(
            portal: .secop, name: "recordar-usuario", to: email.value, subject: Self.reminderSubject,
            context: ["usuarios": .list(names.map { .string($0) }), "correo": .string(email.value),
                      "ingreso": .string(configuration.loginLink)])
        guard !names.isEmpty else {
            record(userID: nil, event: .usernameReminderRequested,
                             clientAddress: clientAddress, detail: "accounts=0", at: now)
            return
        }
        try database.write { tx in try tx.outbox.enqueueDeferred(message, now: now) }
        record(userID: users.first?.id, event: .usernameReminderRequested,
                         clientAddress: clientAddress, detail: "accounts=\(names.count)", at: now)
        wakeOutbox()
    }

    // MARK: The link

    /// What the link carrying `token` would do now, without using it (a GET: mail scanners
    /// open links, so opening one must change nothing, not even the audit log: the opening is
    /// a log line; using the link is audited).
    public func inspectLink(token: String, clientAddress: String?) throws -> SECOPLinkState {
        let now = clock.now()
        guard let tokenHash = hashIfPlausible(token) else {
            logOpened(status: .unknown, userID: nil, clientAddress: clientAddress)
            return .unusable(.unknown)
        }
        let lookup = try database.read { tx in try lookUp(tokenHash, in: tx, now: now) }
        logOpened(status: lookup.status, userID: lookup.token?.userID, clientAddress: clientAddress)
        guard lookup.status == .valid, let token = lookup.token,
              let user = try database.read({ tx in try tx.users.find(id: token.userID) }) else {
            return .unusable(lookup.status == .valid ? .unknown : lookup.status)
        }
        return .valid(username: user.username ?? user.displayName)
    }

    /// Uses the link: checks the new password against the policy, then in ONE transaction
    /// redeems the token, stores the new hash, lifts the account's lock and login throttle
    /// (``loginThrottleKeys``), drops every other token and session, and enqueues the
    /// "password changed" notice. A refused password leaves the link working.
    public func changePassword(token: String, newPassword: String, confirmation: String,
                               clientAddress: String?) throws -> SECOPChangeOutcome {
        let now = clock.now()
        guard let tokenHash = hashIfPlausible(token) else { return .unusableLink(.unknown) }
        let lookup = try database.read { tx in try lookUp(tokenHash, in: tx, now: now) }
        guard lookup.status == .valid, let row = lookup.token,
              let user = try database.read({ tx in try tx.users.find(id: row.userID) }) else {
            record(userID: lookup.token?.userID, event: .resetLinkRefused,
                             clientAddress: clientAddress, detail: "status=\(lookup.status.rawValue)", at: now)
            return .unusableLink(lookup.status == .valid ? .unknown : lookup.status)
        }
        let username = user.username ?? user.displayName
        let problems = policy.problems(password: newPassword, confirmation: confirmation, personalData: PersonalData(user: user))
        guard problems.isEmpty else {
            record(userID: user.id, event: .passwordRefused, clientAddress: clientAddress,
                             detail: "rules=" + problems.map(\.name).joined(separator: ","), at: now)
            return .refused(username: username, problems: problems)
        }
        let newHash = try hashPassword(newPassword)
        let notice = try PasswordChangedNotice.message(for: user, at: now, composer: composer)
        let throttles = loginThrottleKeys(user)
        let result = try database.write { tx in try tx.resetTokens.redeemAndChangePassword(
            tokenHash: tokenHash, portal: .secop, purpose: .passwordReset, newPasswordHash: newHash, now: now,
            clearingRateLimitKeys: throttles, confirmation: { _ in notice }) }
        guard result.status == .valid else {
            // Another request used or superseded the link between the look-up and now.
            record(userID: user.id, event: .resetLinkRefused, clientAddress: clientAddress,
                             detail: "status=\(result.status.rawValue)", at: now)
            return .unusableLink(result.status)
        }
        record(userID: user.id, event: .passwordChanged, clientAddress: clientAddress,
                         detail: "via=reset_link sessions_and_tokens=dropped", at: now)
        logger.info("secop password changed", ["user": String(user.id)])
        wakeOutbox()
        return .changed(username: username)
    }

    /// One log line for a link opened (a GET), in place of the audit entry it once was.
    private func logOpened(status: ResetTokenStatus, userID: Int64?, clientAddress: String?) {
        logger.info("reset link opened", ["portal": Portal.secop.rawValue, "status": status.rawValue,
                                          "user": userID.map(String.init) ?? "-", "client": clientAddress ?? "-"])
    }

    /// A SECOP II reset link's token: one issued by another portal (or for another purpose) is
    /// `.unknown` here, so it can never skip SECOP II's rules or theirs.
    private func lookUp(_ tokenHash: String, in tx: ReadTransaction, now: Date) throws -> ResetTokenLookup {
        try tx.resetTokens.lookup(tokenHash: tokenHash, portal: .secop, purpose: .passwordReset, now: now)
    }

    /// The SHA-256 hex of `token` when it could be one of ours (base64url, not too long);
    /// `nil` spares the store a look-up of junk.
    private func hashIfPlausible(_ token: String) -> String? {
        guard !token.isEmpty, token.utf8.count <= configuration.maximumTokenLength,
              token.utf8.allSatisfy({ Self.base64URLBytes.contains($0) }) else { return nil }
        return SHA256.hex(token)
    }

    private static let base64URLBytes = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8))
}
