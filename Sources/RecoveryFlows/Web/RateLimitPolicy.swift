import Foundation

/// At most `limit` attempts per `window` seconds.
public struct RateLimitRule: Sendable, Equatable {
    /// Attempts allowed in one window.
    public var limit: Int
    /// The window's length in seconds.
    public var window: TimeInterval

    /// A rule of `limit` attempts per `window` seconds.
    public init(_ limit: Int, per window: TimeInterval) {
        self.limit = max(0, limit)
        self.window = max(1, window)
    }
}

/// The two limits one route applies: per client address and per submitted identifier.
public struct RouteLimits: Sendable, Equatable {
    /// Attempts per client address (the socket's, or X-Forwarded-For from a trusted proxy).
    public var perAddress: RateLimitRule
    /// Attempts per submitted identifier (user name, email, document), whether or not it
    /// exists, so the limit itself tells nothing about accounts.
    public var perIdentifier: RateLimitRule

    /// Both limits.
    public init(perAddress: RateLimitRule, perIdentifier: RateLimitRule) {
        self.perAddress = perAddress
        self.perIdentifier = perIdentifier
    }
}

/// Rate limits per route, by route name (`soi.login`, `secop.forgot-password`, ...).
///
/// A POST spends them in the store (``RateLimiter``: shared by every process, survives a
/// restart). A GET page spends only the per-address rule, in memory (``PageRateLimiter``):
/// a GET writes nothing, so a flood of them grows no table.
///
/// Routes without an entry use ``fallback``. Defaults:
/// - logins (`*.login`): 30 per address per 15 minutes. A login spends no counter per
///   identifier: a stranger could fill it and keep the owner out. Guessing one account is
///   slowed by the login throttle instead (``LoginThrottlePolicy``), which the owner's trusted
///   browser gets through;
/// - Cajacopi's recovery routes: ``cajacopiRecoveryDefaults``;
/// - the emailed links' pages: ``linkDefaults``;
/// - anything else (the recovery requests): 10 per address per 15 minutes and 5 per identifier
///   per hour, because each may send an email.
public struct RateLimitPolicy: Sendable, Equatable {
    /// Limits of routes without an entry in ``routes``.
    public var fallback: RouteLimits
    /// Per-route limits, by route name.
    public var routes: [String: RouteLimits]

    /// The default limits for login routes (their `perIdentifier` rule is never consulted:
    /// ``LoginThrottlePolicy`` counts per identifier).
    public static let loginDefault = RouteLimits(perAddress: RateLimitRule(30, per: 15 * 60),
                                                 perIdentifier: RateLimitRule(10, per: 15 * 60))
    /// The default limits for every other route.
    public static let requestDefault = RouteLimits(perAddress: RateLimitRule(10, per: 15 * 60),
                                                   perIdentifier: RateLimitRule(5, per: 3600))

    /// Cajacopi's recovery routes (``CajacopiPortal/RecoveryLimit``), the limits its flow had
    /// before it used this limiter, all per 15 minutes:
    /// - the request ("Enviar Solicitud"): 10 per address and 5 per submitted email;
    /// - drawing a captcha (request page views, counted in memory, and "Refrescar", in the
    ///   store): 60 per address, because each is a PNG to render and the wrong answers one
    ///   address can try are bounded by the captchas it can draw;
    /// - using the link (the POST): 30 per address and 10 per link per hour (opening it is
    ///   ``linkDefaults``).
    ///
    /// The captcha and link routes pass no identifier, so their `perIdentifier` rule (equal to
    /// `perAddress`) is never consulted.
    public static let cajacopiRecoveryDefaults: [String: RouteLimits] = [
        CajacopiPortal.RecoveryLimit.forgotPassword: RouteLimits(perAddress: RateLimitRule(10, per: 15 * 60),
                                                                 perIdentifier: RateLimitRule(5, per: 15 * 60)),
        CajacopiPortal.RecoveryLimit.captcha: RouteLimits(perAddress: RateLimitRule(60, per: 15 * 60),
                                                          perIdentifier: RateLimitRule(60, per: 15 * 60)),
        CajacopiPortal.RecoveryLimit.changePassword: RouteLimits(perAddress: RateLimitRule(30, per: 15 * 60),
                                                                 perIdentifier: RateLimitRule(10, per: 3600)),
    ]

    /// The emailed links of SECOP II and Cajacopi: opening one (a GET, which mail scanners do
    /// on their own) spends only the per-address budget the page always had (SECOP II 10,
    /// Cajacopi 30 per 15 minutes, counted in memory), never the link's own; using one (the POST) allows 10 tries
    /// per link per hour, so a few typos of a new password never lock the owner out of their
    /// own link, while the link is no guessing oracle.
    public static let linkDefaults: [String: RouteLimits] = [
        SECOPPortal.RecoveryLimit.openLink: requestDefault,
        CajacopiPortal.RecoveryLimit.openLink: RouteLimits(perAddress: RateLimitRule(30, per: 15 * 60),
                                                           perIdentifier: RateLimitRule(30, per: 15 * 60)),
        SECOPPortal.RecoveryLimit.changePassword: RouteLimits(perAddress: RateLimitRule(10, per: 15 * 60),
                                                              perIdentifier: RateLimitRule(10, per: 3600)),
    ]

    /// The defaults above; `routes` adds or replaces entries.
    public init(fallback: RouteLimits = RateLimitPolicy.requestDefault, routes: [String: RouteLimits] = [:]) {
        self.fallback = fallback
        var all: [String: RouteLimits] = [:]
        for portal in ["soi", "secop", "cajacopi"] { all["\(portal).login"] = RateLimitPolicy.loginDefault }
        all.merge(RateLimitPolicy.cajacopiRecoveryDefaults) { _, new in new }
        all.merge(RateLimitPolicy.linkDefaults) { _, new in new }
        all.merge(routes) { _, new in new }
        self.routes = all
    }

    /// The limits of `route`.
    public func limits(for route: String) -> RouteLimits { routes[route] ?? fallback }
}
