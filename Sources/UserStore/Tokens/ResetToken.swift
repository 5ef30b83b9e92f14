import Foundation

/// What a reset token is for. A string so flows can add purposes without a migration; a new
/// token supersedes older unused ones of the same user and purpose only.
public struct TokenPurpose: RawRepresentable, Sendable, Hashable {
    /// The name stored in the `purpose` column.
    public let rawValue: String
    /// A purpose by its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A link to choose a new password (SECOP II, Cajacopi).
    public static let passwordReset = TokenPurpose(rawValue: "password-reset")
}

/// A stored reset token: only the SHA-256 of the token is kept, never the token.
public struct ResetToken: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The user the row belongs to.
    public var userID: Int64
    /// What the token is for; supersession is per user and purpose.
    public var purpose: TokenPurpose
    /// Lower-case hex SHA-256 of the token the user holds.
    public var tokenHash: String
    /// When the row was written.
    public var createdAt: Date
    /// After this instant the token is `.expired`.
    public var expiresAt: Date
    /// When it was redeemed (or dropped by a password change).
    public var usedAt: Date?
    /// When a newer token of the same purpose replaced it.
    public var supersededAt: Date?

    /// Creates a value from its fields.
    public init(id: Int64, userID: Int64, purpose: TokenPurpose, tokenHash: String, createdAt: Date,
                expiresAt: Date, usedAt: Date?, supersededAt: Date?) {
        self.id = id
        self.userID = userID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.supersededAt = supersededAt
    }

    static let columns = "id, user_id, purpose, token_hash, created_at, expires_at, used_at, superseded_at"

    init(row: Row) throws {
        self.init(id: try row.int64(0), userID: try row.int64(1), purpose: TokenPurpose(rawValue: try row.string(2)),
                  tokenHash: try row.string(3), createdAt: try row.date(4), expiresAt: try row.date(5),
                  usedAt: try row.optionalDate(6), supersededAt: try row.optionalDate(7))
    }

    /// The status of this token at `now`. Used beats superseded beats expired: the most useful
    /// thing to tell the user ("already used" before "a newer link was sent").
    public func status(at now: Date) -> ResetTokenStatus {
        if usedAt != nil { return .used }
        if supersededAt != nil { return .superseded }
        if expiresAt <= now { return .expired }
        return .valid
    }
}

/// What a token look-up found, for the web layer to word for the user.
public enum ResetTokenStatus: String, Sendable, Equatable {
    /// Usable now.
    case valid
    /// No such token (mistyped, truncated, or from another installation).
    case unknown
    /// Past its expiry.
    case expired
    /// Already redeemed: single use.
    case used
    /// A newer token of the same purpose was issued: "use the last email".
    case superseded
}

/// A look-up's status and, when the token exists, its row.
public struct ResetTokenLookup: Sendable, Equatable {
    /// What the look-up found.
    public var status: ResetTokenStatus
    /// The row, when the token exists.
    public var token: ResetToken?

    /// Creates a value from its fields.
    public init(status: ResetTokenStatus, token: ResetToken?) {
        self.status = status
        self.token = token
    }

    static let unknown = ResetTokenLookup(status: .unknown, token: nil)
}
