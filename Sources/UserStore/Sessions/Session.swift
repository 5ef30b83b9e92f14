import Foundation

/// A browser session, stored by the SHA-256 of its id (the cookie value is never stored).
///
/// A session may exist before login (`userID == nil`) to carry the CSRF secret of the forms.
public struct Session: Sendable, Equatable {
    /// Lower-case hex SHA-256 of the session id held in the cookie.
    public var idHash: String
    /// The portal name (`soi`, `secop`, `cajacopi`, or `system`).
    public var portal: String
    /// The user concerned, if any.
    public var userID: Int64?
    /// The secret CSRF tokens are derived from (HMAC), per session.
    public var csrfSecret: String
    /// When the row was written.
    public var createdAt: Date
    /// The last request that touched the session.
    public var lastSeenAt: Date
    /// Ends after inactivity; pushed forward by `touch`.
    public var idleExpiresAt: Date
    /// Ends regardless of activity.
    public var absoluteExpiresAt: Date

    /// Creates a value from its fields.
    public init(idHash: String, portal: String, userID: Int64?, csrfSecret: String, createdAt: Date,
                lastSeenAt: Date, idleExpiresAt: Date, absoluteExpiresAt: Date) {
        self.idHash = idHash
        self.portal = portal
        self.userID = userID
        self.csrfSecret = csrfSecret
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.idleExpiresAt = idleExpiresAt
        self.absoluteExpiresAt = absoluteExpiresAt
    }

    /// Whether the session is still good at `now`.
    public func isActive(at now: Date) -> Bool { idleExpiresAt > now && absoluteExpiresAt > now }

    static let columns = "id_hash, portal, user_id, csrf_secret, created_at, last_seen_at, idle_expires_at, absolute_expires_at"

    init(row: Row) throws {
        self.init(idHash: try row.string(0), portal: try row.string(1), userID: try row.optionalInt64(2),
                  csrfSecret: try row.string(3), createdAt: try row.date(4), lastSeenAt: try row.date(5),
                  idleExpiresAt: try row.date(6), absoluteExpiresAt: try row.date(7))
    }
}

/// How long sessions last. Defaults follow OWASP's session guidance for low-risk applications.
public struct SessionLifetime: Sendable, Equatable {
    /// Inactivity after which a session ends. Default 15 minutes.
    public var idle: TimeInterval
    /// Age after which a session ends however active. Default 8 hours.
    public var absolute: TimeInterval

    /// Creates a value from its fields.
    public init(idle: TimeInterval = 15 * 60, absolute: TimeInterval = 8 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    /// The defaults above.
    public static let `default` = SessionLifetime()
}
