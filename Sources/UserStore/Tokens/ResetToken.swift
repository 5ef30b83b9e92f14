import Foundation

/// What a reset token is for. A string so flows can add purposes without a migration; a new
/// token supersedes older unused ones of the same user and purpose only.
public struct TokenPurpose: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A link to choose a new password (SECOP II, Cajacopi).
    public static let passwordReset = TokenPurpose(rawValue: "password-reset")
}

/// A stored reset token: only the SHA-256 of the token is kept, never the token.
public struct ResetToken: Sendable, Equatable {
    public var id: Int64
    public var userID: Int64
    public var purpose: TokenPurpose
    /// Lower-case hex SHA-256 of the token the user holds.
    public var tokenHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    public var supersededAt: Date?

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
    public var status: ResetTokenStatus
    public var token: ResetToken?

    public init(status: ResetTokenStatus, token: ResetToken?) {
        self.status = status
        self.token = token
    }

    static let unknown = ResetTokenLookup(status: .unknown, token: nil)
}
