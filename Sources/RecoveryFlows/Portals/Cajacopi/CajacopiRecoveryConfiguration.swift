import Foundation

/// How the Cajacopi recovery flow behaves. Every value has a documented default.
///
/// Its rate limits are the shell's: ``RateLimitPolicy/cajacopiRecoveryDefaults`` under the
/// names in ``CajacopiPortal/RecoveryLimit``.
public struct CajacopiRecoveryConfiguration: Sendable {
    /// The public base URL every emailed link starts with (never the request's Host header),
    /// without a trailing slash, e.g. `https://clave.cajacopi.com`.
    public var publicURL: String
    /// The `From` of both emails. Default `Cajacopi EPS <notificaciones@cajacopi.example>`
    /// (``EmailSenders``): never a real domain Clave's operator does not own.
    public var sender: String
    /// How long a reset link works. Default 1 hour: the guide tells users to wait up to
    /// 12 hours before calling, but a link lying in a mailbox that long is a liability; a
    /// new request costs a minute.
    public var tokenLifetime: TimeInterval
    /// The least time the request POST takes, known account or not, so timing tells nothing
    /// (the shell's ``UniformTiming``: default 250 ms floor plus up to 50 ms jitter, monotonic clock).
    public var timing: UniformTiming
    /// The password rules.
    public var policy: PasswordPolicy
    /// The captcha's settings.
    public var captcha: CaptchaConfiguration

    /// A configuration; every parameter has the default documented on its property.
    public init(publicURL: String, sender: String = EmailSenders().cajacopi,
                tokenLifetime: TimeInterval = 60 * 60, timing: UniformTiming = UniformTiming(),
                policy: PasswordPolicy = PasswordPolicy(),
                captcha: CaptchaConfiguration = CaptchaConfiguration()) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.sender = sender
        self.tokenLifetime = tokenLifetime
        self.timing = timing
        self.policy = policy
        self.captcha = captcha
    }
}
