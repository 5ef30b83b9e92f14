import CaptchaAudio
import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import Templates
import UserStore

/// What every handler needs, built once at start-up and shared read-only by all workers:
/// configuration, database (repositories come from its transactions:
/// `context.database.read { try $0.users.find(id: id) }`), templates, password hashing, clock, logger, and
/// the outbox wake-up.
///
/// ```swift
/// let context = try AppContext(configuration: configuration, database: database)
/// let app = try ClaveApp(context: context)
/// ```
public final class AppContext: Sendable {
    /// The configuration.
    public let configuration: AppConfiguration
    /// The SQLite database.
    public let database: Database
    /// Rate limits per route, counted in the store (POSTs).
    public let rateLimiter: RateLimiter
    /// Per-address limits of GET pages, counted in memory: a GET writes nothing.
    public let pageRateLimiter: PageRateLimiter
    /// Every template under `Resources/templates`.
    public let templates: TemplateSet
    /// The common-password block list every portal's policy uses
    /// (`Resources/data/common-passwords.txt`). Loaded at start: a missing or empty file stops
    /// `clave serve` with a clear message rather than leaving one portal with a weaker policy.
    public let commonPasswords: CommonPasswordList
    /// The spoken digits of Cajacopi's audio captcha (`Resources/audio/captcha`, made by
    /// `scripts/captcha-audio-clips.sh`). Loaded at start: missing clips stop `clave serve`
    /// rather than leave the captcha without its audio alternative.
    public let spokenDigits: SpokenDigits
    /// Hashes new passwords at the configured cost.
    public let hasher: PasswordHasher
    /// Checks login passwords in equal time for known and unknown accounts.
    public let verifier: PasswordVerifier
    /// Bounds how many hashes run at once.
    public let hashingPool: PasswordHashingPool
    /// The time.
    public let clock: any ClaveClock
    /// The web layer's logger.
    public let logger: Logger
    /// Wakes the outbox worker after a transaction enqueued an email.
    public let wakeOutbox: @Sendable () -> Void
    /// The key signing flash-notice cookies: the stored `flash` server key, so a notice set
    /// before a restart, or by another process on the file, still reads after it.
    let flashKey: [UInt8]
    /// The key signing device cookies (``DeviceCookie``): stored, so a restart or another
    /// process keeps trusting the browsers the owners logged in with.
    let deviceKey: [UInt8]
    /// The CSRF tokens of forms shown without a session, MACed with the stored `csrf` key, so a
    /// restart (or another process on the file) breaks no open form.
    let formTokens: SignedFormToken
    /// The stored `captcha` key Cajacopi's captcha answers are derived from: a captcha drawn
    /// before a restart is still answerable after it.
    let captchaKey: [UInt8]

    /// A context over `database` (already migrated), loading templates from
    /// `configuration.resources/templates` and the server keys from `database` (making them on a
    /// new file).
    public init(configuration: AppConfiguration, database: Database, clock: any ClaveClock = SystemClock(),
                logger: Logger = Logger(label: "web"), wakeOutbox: @escaping @Sendable () -> Void = {}) throws {
        self.configuration = configuration
        self.database = database
        // Every server key in one write: on a new file they are made here, once.
        let keys = try database.write { tx in
            try [RateLimiter.serverKeyName, FlashNotice.serverKeyName, SignedFormToken.serverKeyName, CaptchaService.serverKeyName,
                 DeviceCookie.serverKeyName]
                .map { name in try tx.serverKeys.key(named: name, now: clock.now()) }
        }
        rateLimiter = RateLimiter(database: database, policy: configuration.rateLimits, serverKey: keys[0])
        pageRateLimiter = PageRateLimiter(policy: configuration.rateLimits)
        flashKey = keys[1]
        formTokens = SignedFormToken(key: keys[2], lifetime: configuration.formLifetime)
        captchaKey = keys[3]
        deviceKey = keys[4]
        templates = try TemplateSet(directory: configuration.resources.appendingPathComponent("templates"),
                                    options: TemplateOptions(reloadOnChange: configuration.reloadTemplates,
                                                             strict: configuration.strictTemplates))
        commonPasswords = try CommonPasswordList.shared(resources: configuration.resources.path)
        spokenDigits = try SpokenDigits(directory: configuration.resources.appendingPathComponent("audio/captcha"))
        hasher = PasswordHasher(cost: configuration.hashCost)
        verifier = try PasswordVerifier(hasher: hasher)
        hashingPool = PasswordHashingPool(concurrency: configuration.hashingConcurrency, wait: configuration.hashingWait)
        self.clock = clock
        self.logger = logger
        self.wakeOutbox = wakeOutbox
    }

    /// What `/readyz` checks: this context's database, with the configured mail stall limit and
    /// the configuration's warnings.
    public var readiness: Readiness {
        Readiness(database: database, mailStallLimit: configuration.mailStallLimit, warnings: configuration.readinessWarnings)
    }

    /// The current time from the context's clock (tests move it).
    public var now: Date { clock.now() }

    /// The uniform-timing floor of "request" pages.
    public var uniformTiming: UniformTiming { configuration.uniformTiming }

    /// Appends an audit entry, logging (not throwing) when the write fails (``AuditTrail``): a
    /// failed audit write must not turn a user's answer into a 500 after the change it describes
    /// was committed. `detail` holds ids, reasons and counts: never a password, token or reset URL.
    public func audit(_ event: AuditEvent, portal: String, userID: Int64? = nil, client: String? = nil, detail: String = "") {
        auditTrail(portal).record(event, userID: userID, client: client, detail: detail)
    }

    /// The audit trail of `portal`, for the steps layers of the portals.
    public func auditTrail(_ portal: String) -> AuditTrail {
        AuditTrail(database: database, portal: portal, logger: logger, clock: clock)
    }
}
