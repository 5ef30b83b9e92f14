import Foundation

/// An account on one portal, as stored.
public struct User: Sendable, Equatable {
    /// The row id.
    public var id: Int64
    /// The portal the account belongs to.
    public var portal: Portal
    /// SECOP II's login name.
    public var username: String?
    /// The user's own document (SOI users and Cajacopi members).
    public var document: Document?
    /// The SOI company the user acts for.
    public var aportanteID: Int64?
    /// Where reset emails go (normalized when created).
    public var email: String
    /// Digits, optionally after `+` (Cajacopi).
    public var phone: String?
    /// Cajacopi members' birth date (checked against new passwords).
    public var birthDate: CalendarDate?
    /// The PHC string of the current password.
    public var passwordHash: String
    /// Set after logging in with a temporary password: the flows allow nothing but a change.
    public var mustChangePassword: Bool
    /// SOI's emailed temporary password, kept apart so the old one works until this is used.
    public var temporaryPasswordHash: String?
    /// When the temporary password stops working; once it is promoted (the user logged in
    /// with it), the deadline of that must-change password (``promotedPasswordDeadline``).
    public var temporaryPasswordExpiresAt: Date?
    /// Consecutive failed logins since the last success or lock.
    public var failedLogins: Int
    /// Logins are refused until this instant.
    public var lockedUntil: Date?
    /// When the row was written.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date

    /// Whether logins are refused at `now`.
    public func isLocked(at now: Date) -> Bool { lockedUntil.map { $0 > now } ?? false }

    /// The temporary password hash if it has not expired at `now`.
    public func activeTemporaryPasswordHash(at now: Date) -> String? {
        guard let hash = temporaryPasswordHash, let expiry = temporaryPasswordExpiresAt, expiry > now else { return nil }
        return hash
    }

    /// The deadline of a current password that is a promoted temporary password: the user
    /// logged in with the emailed one and has not finished "Cambio de Clave" yet. Nil for any
    /// other password (staff-set must-change passwords have no deadline). It reuses
    /// `temporary_password_expires_at` (kept by the promotion, cleared by any change) so that an
    /// emailed credential never becomes a long-term password without a schema change.
    public var promotedPasswordDeadline: Date? {
        guard mustChangePassword, temporaryPasswordHash == nil else { return nil }
        return temporaryPasswordExpiresAt
    }

    /// Whether the current password may still log in at `now`: always, unless it is a
    /// promoted temporary password past its deadline (then only a new "¿Olvidó su clave?" helps).
    public func currentPasswordWorks(at now: Date) -> Bool {
        promotedPasswordDeadline.map { $0 > now } ?? true
    }

    /// How staff and logs name the user: user name, document, or email.
    public var displayName: String {
        switch portal {
        case .secop: username ?? email
        case .soi, .cajacopi: document?.displayText ?? email
        }
    }

    static let columns = """
        id, portal, username, document_type, document_number, aportante_id, email, phone, birth_date, \
        password_hash, must_change_password, temporary_password_hash, temporary_password_expires_at, \
        failed_logins, locked_until, created_at, updated_at
        """

    /// `columns` with each name prefixed by a table alias, for joins.
    static func columns(qualifiedBy alias: String) -> String {
        columns.split(separator: ",").map { "\(alias)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: ", ")
    }

    init(row: Row) throws {
        let portalText = try row.string(1)
        guard let portal = Portal(rawValue: portalText) else {
            throw StoreError.invalidValue(column: "portal", reason: "unknown portal '\(portalText)'")
        }
        id = try row.int64(0)
        self.portal = portal
        username = try row.optionalString(2)
        document = try Row.document(row, type: 3, number: 4)
        aportanteID = try row.optionalInt64(5)
        email = try row.string(6)
        phone = try row.optionalString(7)
        birthDate = try row.optionalString(8).flatMap(CalendarDate.init)
        passwordHash = try row.string(9)
        mustChangePassword = try row.bool(10)
        temporaryPasswordHash = try row.optionalString(11)
        temporaryPasswordExpiresAt = try row.optionalDate(12)
        failedLogins = try row.int(13)
        lockedUntil = try row.optionalDate(14)
        createdAt = try row.date(15)
        updatedAt = try row.date(16)
    }
}
