import CaptchaAudio
import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import Templates
import UserStore

/// Cajacopi's "Restablecer Contraseña" journey, from the request page to the confirmation email.
///
/// 1. `GET /cajacopi/restablecer`: email and a server-drawn captcha ("Refrescar" is a form POST
///    to `/cajacopi/captcha`, so it works without JavaScript).
/// 2. `POST /cajacopi/restablecer`: the captcha is checked (and used up; only from the browser
///    it was drawn for, by its form cookie); then the request's rate limits are spent; then, whether or not
///    the email is registered, the same page, status and (thanks to a timing floor) about the
///    same time. For a registered email a one-time token is issued and its email enqueued in
///    the same transaction; only the token's SHA-256 is stored.
/// 3. `GET /cajacopi/nueva-contrasena?token=…` only shows the form (mail scanners prefetch).
/// 4. `POST /cajacopi/nueva-contrasena` checks the rules, then redeems the token, sets the
///    password, lifts the account's lock and login throttle, drops every token and session of
///    the user and enqueues the confirmation, all in one transaction. Only a token Cajacopi
///    issued works here: another portal's link is unknown. The user is not logged in: they sign in with the new password.
///
/// Every step is written to the audit log, never with a password, token or link.
public struct CajacopiRecovery: Sendable {
    /// Users, tokens, captchas, outbox, audit log.
    public let database: Database
    /// Pages (`cajacopi/…`) and emails (`correos/cajacopi/…`).
    public let templates: TemplateSet
    /// Limits, links and rules.
    public let configuration: CajacopiRecoveryConfiguration
    /// The captcha of the request page.
    public let captcha: CaptchaService
    /// The two emails.
    public let mail: CajacopiRecoveryMail
    let hasher: PasswordHasher
    let hashingPool: PasswordHashingPool?
    let clock: any ClaveClock
    let wakeOutbox: @Sendable () -> Void
    /// Where every step is recorded (a failed write is logged, never thrown).
    let audit: AuditTrail
    /// The rate-limit keys of the account's login throttle, forgotten with a completed change
    /// (the routes layer owns the limits, so it says which; none by default).
    let loginThrottleKeys: @Sendable (User) -> [String]

    /// The flow over `database` and `templates`; captcha answers are derived with `captchaKey`
    /// (the stored `captcha` server key: ``AppContext`` loads it). `wakeOutbox` nudges the outbox worker after an
    /// email is enqueued; `clock` is the time (tests pass their own to expire tokens and
    /// captchas without sleeping). `spokenDigits` gives the captcha its audio alternative. `hashingPool`, when given, bounds how many scrypt hashes run
    /// at once (503 when busy), as the shell's login does. CSRF, client addresses and rate
    /// limits are the shell's: see `CajacopiRecoveryRoutes`.
    public init(database: Database, templates: TemplateSet, configuration: CajacopiRecoveryConfiguration,
                captchaKey: [UInt8], hasher: PasswordHasher = PasswordHasher(), hashingPool: PasswordHashingPool? = nil,
                clock: any ClaveClock = SystemClock(),
                wakeOutbox: @escaping @Sendable () -> Void = {},
                loginThrottleKeys: @escaping @Sendable (User) -> [String] = { _ in [] },
                spokenDigits: SpokenDigits? = nil) {
        self.database = database
        self.templates = templates
        self.configuration = configuration
        self.captcha = CaptchaService(database: database, key: captchaKey, configuration: configuration.captcha,
                                      spokenDigits: spokenDigits)
        self.mail = CajacopiRecoveryMail(templates: templates, configuration: configuration)
        self.hasher = hasher
        self.hashingPool = hashingPool
        self.clock = clock
        self.wakeOutbox = wakeOutbox
        self.loginThrottleKeys = loginThrottleKeys
        audit = AuditTrail(database: database, portal: Portal.cajacopi.rawValue, logger: Logger(label: "cajacopi"), clock: clock)
    }

    /// What the request step decided (before it becomes a page).
    public enum RequestOutcome: Sendable, Equatable {
        /// The answer every well-formed request with a right captcha gets, account or not.
        case accepted
        /// The captcha was wrong, expired, reused or missing: show the form again, new captcha.
        case captchaRejected(CaptchaCheck)
        /// The email is not an address at all: show the form again, new captcha.
        case invalidEmail
    }

    /// The request step without HTTP: checks the captcha (drawn for the browser whose form
    /// cookie is `browser`),
    /// then issues a token and enqueues its email when `email` belongs to a Cajacopi user, or
    /// does the same work without storing anything when it does not.
    ///
    /// `spendLimit` (the routes layer's rate limits, per address and per submitted email) is
    /// called only once the captcha has passed: a stranger typing a victim's email with wrong
    /// answers must not spend the victim's budget and block the owner's own request. Wrong
    /// answers stay bounded all the same, since each one uses up a captcha and drawing
    /// captchas has its own per-address limit.
    public func requestReset(email rawEmail: String, captchaID: String, captchaAnswer: String, browser: String?,
                             clientAddress: String, spendLimit: () throws -> Void = {}) throws -> RequestOutcome {
        let now = clock.now()
        let check = try captcha.check(id: captchaID, answer: captchaAnswer, browser: browser, now: now)
        guard check == .passed else {
            audit.record(.captchaRefused, client: clientAddress, detail: "result=\(check.rawValue)")
            return .captchaRejected(check)
        }
        try spendLimit()
        guard let email = EmailAddress(rawEmail) else {
            audit.record(.formInvalid, client: clientAddress, detail: "fields=correo")
            return .invalidEmail
        }
        let user = try database.read { tx in try tx.users.findCajacopi(email: email.value) }
        // Both branches make a token and render its email, so they cost about the same.
        let token = try SecureRandom.token()
        let message = try mail.resetEmail(to: user?.email ?? email.value, token: token)
        if let user {
            try database.writeLockingRows { tx in try tx.resetTokens.issue(
                userID: user.id, purpose: .passwordReset, tokenHash: SHA256.hex(token),
                expiresAt: now.addingTimeInterval(configuration.tokenLifetime), now: now, email: message) }
            audit.record(.resetRequested, userID: user.id, client: clientAddress, detail: "account=found")
            wakeOutbox()
        } else {
            // The address is not logged whole: only a short hash, enough to spot a pattern.
            let tag = String(SHA256.hex(email.value.lowercased()).prefix(12))
            audit.record(.resetRequested, client: clientAddress, detail: "account=unknown email_sha256=\(tag)")
        }
        return .accepted
    }

    /// "Refrescar": burns the captcha the page showed (so refreshing cannot farm images of one
    /// answer; only the browser it was drawn for can burn it) and draws a new one for the same
    /// browser (its form cookie, `browser`).
    public func refreshCaptcha(replacing old: String?, browser: String, clientAddress: String) throws -> IssuedCaptcha {
        try burnCaptcha(old, browser: browser, clientAddress: clientAddress)
        return try captcha.create(browser: browser, now: clock.now())
    }

    /// "Refrescar" as Post/Redirect/Get: burns the captcha the page showed (only the browser it
    /// was drawn for can) and records the refresh; the page the redirect leads to draws the new one.
    public func burnCaptcha(_ old: String?, browser: String, clientAddress: String) throws {
        if let old { _ = try captcha.check(id: old, answer: "", browser: browser, now: clock.now()) }
        audit.record(.captchaRefreshed, client: clientAddress)
    }

    /// A new captcha for the request page of the browser whose form cookie is `browser`.
    public func newCaptcha(browser: String) throws -> IssuedCaptcha {
        try captcha.create(browser: browser, now: clock.now())
    }
}
