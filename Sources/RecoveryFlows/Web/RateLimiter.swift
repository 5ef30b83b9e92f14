import ClaveCrypto
import ClaveTime
import Foundation
import HTTPCore
import UserStore

/// Applies ``RateLimitPolicy`` with the shared SQLite counters (`tx.rateLimits`).
///
/// Keys hold the HMAC-SHA256 of the identifier under the server's `rate-limit` key
/// (`tx.serverKeys`), never the identifier: the counters table must not become a list of the
/// emails and cédulas people typed. A bare SHA-256 would not do: a 10-digit cédula has 10^10
/// candidates, and hashing them all to reverse a key takes seconds; without the server key there
/// is nothing to try them against.
public struct RateLimiter: Sendable {
    /// The name of the server key the identifier counters are keyed with.
    public static let serverKeyName = "rate-limit"

    /// The database holding the counters.
    public let database: Database
    /// The limits.
    public let policy: RateLimitPolicy
    /// The secret the identifier keys are MACed with (the same in every process on the file, so
    /// they all spend one counter per identifier).
    let serverKey: [UInt8]

    /// A limiter over `database`'s counters with `policy`, keying identifiers with `serverKey`
    /// (``AppContext`` passes the stored `rate-limit` key, loaded once at start-up).
    public init(database: Database, policy: RateLimitPolicy, serverKey: [UInt8]) {
        self.database = database
        self.policy = policy
        self.serverKey = serverKey
    }

    /// A limiter over `database`'s counters with `policy`, loading (on a new file: making) the
    /// stored `rate-limit` key in one write transaction. `clock` dates a key made now.
    public init(database: Database, policy: RateLimitPolicy, clock: any ClaveClock) throws {
        let key = try database.write { tx in try tx.serverKeys.key(named: Self.serverKeyName, now: clock.now()) }
        self.init(database: database, policy: policy, serverKey: key)
    }

    /// Counts one attempt at `route` from `address`, and for `identifier` when given. Throws
    /// ``RateLimited`` when either limit is spent; the address is counted before the
    /// identifier, so one client cannot spend other people's identifier budgets without
    /// spending its own.
    ///
    /// The identifier is keyed by ``Identifier/normalize(_:)``, the function the account
    /// look-ups use too: every spelling that finds an account (`Ana`, ` ana`, full-width
    /// `ａｎａ`) spends one counter. Typed input should have passed ``Identifier/init(_:)``
    /// first, so text with control characters never gets this far.
    ///
    /// Each count is one upsert that locks its row (`Database.writeLockingRows`): requests
    /// from one address at once (an office behind one NAT) take turns on its counter, where
    /// under SERIALIZABLE all but one would fail to serialize and run again.
    public func check(route: String, address: String, identifier: String?, now: Date) throws {
        let limits = policy.limits(for: route)
        let byAddress = try database.writeLockingRows { tx in try tx.rateLimits.hit(key: "ip:\(address):\(route)", window: limits.perAddress.window,
                                                                         limit: limits.perAddress.limit, now: now) }
        guard byAddress.allowed else { throw RateLimited(retryAfter: byAddress.retryAfter) }
        if let identifier {
            let byIdentifier = try database.writeLockingRows { tx in try tx.rateLimits.hit(key: key(route: route, identifier: identifier),
                                                                                window: limits.perIdentifier.window,
                                                                                limit: limits.perIdentifier.limit, now: now) }
            guard byIdentifier.allowed else { throw RateLimited(retryAfter: byIdentifier.retryAfter) }
        }
    }

    /// Forgets the identifier counter of `route` (after a successful login).
    public func reset(route: String, identifier: String) throws {
        try database.write { tx in try tx.rateLimits.reset(key: key(route: route, identifier: identifier)) }
    }

    /// The counter key of `identifier` on `route`, for a step that forgets it inside its own
    /// transaction (a completed reset forgets the account's login counter with the password
    /// change: `tx.resetTokens.redeemAndChangePassword(…clearingRateLimitKeys:)`).
    public func identifierKey(route: String, identifier: String) -> String {
        key(route: route, identifier: identifier)
    }

    /// The counter's key: the HMAC-SHA256, under the server key, of the normalized identifier
    /// (``Identifier/normalize(_:)``, the form every look-up uses), never the identifier.
    func key(route: String, identifier: String) -> String {
        let mac = HMACSHA256.authenticate(Array(Identifier.normalize(identifier).utf8), key: serverKey)
        return "id:\(route):\(Hex.encode(mac))"
    }
}

/// Thrown when a rate limit is spent; the shell answers 429 with `Retry-After` and a page that
/// reads the same whatever the identifier was.
public struct RateLimited: HTTPResponseError, Equatable {
    /// Seconds until the window ends.
    public var retryAfter: TimeInterval

    /// The whole seconds for `Retry-After` (at least 1).
    public var retryAfterSeconds: Int { max(1, Int(retryAfter.rounded(.up))) }

    /// 429 Too Many Requests (RFC 6585 §4).
    public var status: HTTPStatus { .tooManyRequests }
    /// `Retry-After` in whole seconds.
    public var headers: HTTPHeaders { ["Retry-After": String(retryAfterSeconds)] }
    /// How long to wait, from the limit's real window (the same words whatever the identifier was).
    public var message: String? {
        "Ha realizado demasiados intentos. Por seguridad, espere \(WaitDuration.spanish(retryAfter)) antes de intentar de nuevo."
    }
}
