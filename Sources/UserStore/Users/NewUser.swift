import Foundation

/// Why a new user was refused before touching the database.
public enum UserValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(String)
    case notAllowed(String)
    case invalid(field: String, reason: String)

    /// A one-line message for logs and the command line.
    public var description: String {
        switch self {
        case .missing(let field): "\(field) is required"
        case .notAllowed(let field): "\(field) does not apply to this portal"
        case .invalid(let field, let reason): "invalid \(field): \(reason)"
        }
    }
}

/// A user to create, validated for its portal:
///
/// - SOI: the aportante (by id) and the user's document; email.
/// - SECOP II: a user name (3-64 of letters, digits, `.`, `_`, `-`); email (shared emails allowed).
/// - Cajacopi: email (unique, it is the login), document, phone, birth date.
public struct NewUser: Sendable, Equatable {
    /// The portal the account is for.
    public let portal: Portal
    /// SECOP II's login name.
    public let username: String?
    /// The user's own document (SOI, Cajacopi).
    public let document: Document?
    /// The SOI aportante the user acts for.
    public let aportanteID: Int64?
    /// Where reset emails go.
    public let email: EmailAddress
    /// Digits, optionally after `+` (Cajacopi).
    public let phone: String?
    /// Cajacopi members' birth date.
    public let birthDate: CalendarDate?

    /// Creates a value from its fields.
    public init(portal: Portal, username: String? = nil, document: Document? = nil, aportanteID: Int64? = nil,
                email: EmailAddress, phone: String? = nil, birthDate: CalendarDate? = nil) throws(UserValidationError) {
        switch portal {
        case .soi:
            guard aportanteID != nil else { throw .missing("aportante") }
            guard document != nil else { throw .missing("document") }
            guard username == nil else { throw .notAllowed("user name") }
        case .secop:
            guard let username else { throw .missing("user name") }
            guard (3...64).contains(username.count),
                  username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else {
                throw .invalid(field: "user name", reason: "3 to 64 letters, digits, '.', '_' or '-'")
            }
            guard aportanteID == nil else { throw .notAllowed("aportante") }
        case .cajacopi:
            guard document != nil else { throw .missing("document") }
            guard phone != nil else { throw .missing("phone") }
            guard birthDate != nil else { throw .missing("birth date") }
            guard username == nil else { throw .notAllowed("user name") }
            guard aportanteID == nil else { throw .notAllowed("aportante") }
        }
        if let phone {
            let digits = phone.hasPrefix("+") ? phone.dropFirst() : Substring(phone)
            guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalid(field: "phone", reason: "7 to 15 digits, optionally after '+'")
            }
        }
        self.portal = portal
        self.username = username
        self.document = document
        self.aportanteID = aportanteID
        self.email = email
        self.phone = phone
        self.birthDate = birthDate
    }
}
