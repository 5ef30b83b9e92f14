import Foundation

/// How the Cajacopi recovery flow behaves. Every value has a documented default.
public struct CajacopiRecoveryConfiguration: Sendable {
    /// The public base URL every emailed link starts with (never the request's Host header),
    /// without a trailing slash, e.g. `https://clave.cajacopi.com`.
    public var publicURL: String
    /// The `From` of both emails. Default `Cajacopi <no-responder@cajacopi.com>`.
    public var sender: String
    /// How long a reset link works. Default 1 hour: the guide tells users to wait up to
    /// 12 hours before calling, but a link lying in a mailbox that long is a liability; a
    /// new request costs a minute.
    public var tokenLifetime: TimeInterval
    /// The least time the request POST takes, known account or not, so timing tells nothing
    /// (the shell's ``UniformTiming``: default 250 ms floor plus up to 50 ms jitter, monotonic clock).
    public var timing: UniformTiming
    /// Requests per client address per `rateWindow`. Default 10.
    public var requestsPerAddress: Int
    /// Requests per submitted email per `rateWindow`, existing or not. Default 5.
    public var requestsPerEmail: Int
    /// Link redemptions (GET and POST of the new-password page) per address per window. Default 30.
    public var redemptionsPerAddress: Int
    /// Captchas drawn (request page views and "Refrescar") per address per window. Default 60:
    /// each is a database row with its PNG, so an unbounded crawler would fill the disk.
    public var captchasPerAddress: Int
    /// The rate-limit window. Default 15 minutes.
    public var rateWindow: TimeInterval
    /// The password rules.
    public var policy: PasswordPolicy
    /// The captcha's settings.
    public var captcha: CaptchaConfiguration

    /// A configuration; every parameter has the default documented on its property.
    public init(publicURL: String, sender: String = "Cajacopi <no-responder@cajacopi.com>",
                tokenLifetime: TimeInterval = 60 * 60, timing: UniformTiming = UniformTiming(),
                requestsPerAddress: Int = 10, requestsPerEmail: Int = 5, redemptionsPerAddress: Int = 30,
                captchasPerAddress: Int = 60,
                rateWindow: TimeInterval = 15 * 60, policy: PasswordPolicy = PasswordPolicy(),
                captcha: CaptchaConfiguration = CaptchaConfiguration()) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.sender = sender
        self.tokenLifetime = tokenLifetime
        self.timing = timing
        self.requestsPerAddress = requestsPerAddress
        self.requestsPerEmail = requestsPerEmail
        self.redemptionsPerAddress = redemptionsPerAddress
        self.captchasPerAddress = captchasPerAddress
        self.rateWindow = rateWindow
        self.policy = policy
        self.captcha = captcha
    }
}
