import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// Whether the app runs for a developer's machine or for real users.
public enum AppMode: String, Sendable, Equatable {
    /// Demo users, the development mailbox at `/_correo`, the captcha test answer.
    case development
    /// None of the above; needs an https public URL and SMTP (checked by `clave serve`).
    case production
}

/// Everything the web shell is configured with, with documented defaults.
///
/// Built once at start-up (by `clave serve` or the test harness) and read-only afterwards.
public struct AppConfiguration: Sendable {
    /// Development or production. Default development.
    public var mode: AppMode
    /// The public base URL: every absolute link (emails, redirects to other hosts) is built from
    /// it, never from the Host header (DESIGN.md, Rules). Its scheme decides `Secure` cookies
    /// and HSTS.
    public var publicURL: URL
    /// The folder holding `templates/` and `static/`. Default `./Resources`.
    public var resources: URL
    /// Reverse proxies (addresses and CIDR blocks) whose `Forwarded` / `X-Forwarded-For` is
    /// believed (``ClientAddress``). Default none: the client address is the socket's.
    public var trustedProxies: TrustedProxies
    /// Session idle and absolute lifetimes. Default 15 minutes / 8 hours (OWASP).
    public var sessionLifetime: SessionLifetime
    /// Per-route rate limits.
    public var rateLimits: RateLimitPolicy
    /// Failed-login throttling (``LoginThrottlePolicy``: no lockout, a device cookie for the owner).
    public var login: LoginThrottlePolicy
    /// How long the oldest undelivered email may wait before `/readyz` says not ready
    /// (``Readiness``). Default 15 minutes.
    public var mailStallLimit: TimeInterval = 15 * 60
    /// Warnings `/readyz` reports on every answer (a deployment that sends mail unsigned, for
    /// instance); never a reason to be not ready.
    public var readinessWarnings: [String] = []
    /// The password hashing cost. Default `PasswordHasher.Cost.default` (scrypt N=2^14, r=8, p=5);
    /// tests pass `.testing` to stay fast.
    public var hashCost: PasswordHasher.Cost
    /// How many password hashes may run at once. Default 2: hashing is CPU- and memory-bound
    /// and must never take every worker thread.
    public var hashingConcurrency: Int
    /// How long a request waits for a hashing slot before answering 503. Default 10 s.
    public var hashingWait: TimeInterval
    /// The floor that "same answer whether or not the account exists" pages pad to.
    public var uniformTiming: UniformTiming
    /// Reload templates when their files change. Default: on in development.
    public var reloadTemplates: Bool
    /// Render templates in strict mode (``TemplateOptions/strict``): a variable a template
    /// reads but the page does not provide is an error instead of an empty string. Default
    /// `false`; the test harnesses turn it on so a typo or a missing value fails a test.
    public var strictTemplates: Bool = false
    /// Who each portal's emails come from. Default: the `.example` senders of ``EmailSenders``.
    public var senders: EmailSenders
    /// How long SOI's emailed temporary password lives (also as a promoted, must-change
    /// password). Default 60 minutes (``SOIRecoveryConfiguration/defaultTemporaryPasswordLifetime``);
    /// `clave serve --soi-temporary-minutes` sets it. A property with a default, not an `init`
    /// argument, so every existing caller keeps compiling.
    public var soiTemporaryPasswordLifetime: TimeInterval = SOIRecoveryConfiguration.defaultTemporaryPasswordLifetime
    /// How long a form shown to a browser without a session can be sent (``SignedFormToken``).
    /// Default 2 hours: a tab left open over lunch still works, a token seen once stops working
    /// the same day. (A logged-in session's forms live as long as the session.)
    public var formLifetime: TimeInterval = 2 * 3600

    /// A configuration with the defaults above.
    public init(mode: AppMode = .development,
                publicURL: URL,
                resources: URL = URL(fileURLWithPath: "Resources"),
                trustedProxies: TrustedProxies = .none,
                sessionLifetime: SessionLifetime = .default,
                rateLimits: RateLimitPolicy = RateLimitPolicy(),
                login: LoginThrottlePolicy = LoginThrottlePolicy(),
                hashCost: PasswordHasher.Cost = .default,
                hashingConcurrency: Int = 2,
                hashingWait: TimeInterval = 10,
                uniformTiming: UniformTiming = UniformTiming(),
                reloadTemplates: Bool? = nil,
                senders: EmailSenders = EmailSenders()) {
        self.mode = mode
        self.publicURL = publicURL
        self.resources = resources
        self.trustedProxies = trustedProxies
        self.sessionLifetime = sessionLifetime
        self.rateLimits = rateLimits
        self.login = login
        self.hashCost = hashCost
        self.hashingConcurrency = max(1, hashingConcurrency)
        self.hashingWait = hashingWait
        self.uniformTiming = uniformTiming
        self.reloadTemplates = reloadTemplates ?? (mode == .development)
        self.senders = senders
    }

    /// Whether the public URL is https: then cookies are `Secure` and HSTS is sent.
    public var isHTTPS: Bool { publicURL.scheme?.lowercased() == "https" }

    /// An absolute URL for `path` (which starts with `/`) under the public base URL.
    public func absoluteURL(_ path: String) -> String {
        var base = publicURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
