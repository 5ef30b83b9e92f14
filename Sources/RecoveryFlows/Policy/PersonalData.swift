import UserStore

/// What a stranger may know about a user, which must not appear in their password.
///
/// Every field is optional: a SECOP user has no phone on file, a SOI user no birth date.
/// Build it from the stored `User` with `init(user:)`, or field by field in tests.
public struct PersonalData: Sendable, Equatable {
    /// The identification number (cédula, NIT, ...), as stored: digits and perhaps a check digit.
    public var documentNumber: String?
    /// The phone number, in any written form; only its digits are compared.
    public var phone: String?
    /// The birth date.
    public var birthDate: CalendarDate?
    /// The email address; its local part (before `@`) is what is compared.
    public var email: String?
    /// The login name (SECOP II).
    public var username: String?

    /// Personal data given field by field.
    public init(documentNumber: String? = nil, phone: String? = nil, birthDate: CalendarDate? = nil,
                email: String? = nil, username: String? = nil) {
        self.documentNumber = documentNumber
        self.phone = phone
        self.birthDate = birthDate
        self.email = email
        self.username = username
    }

    /// The personal data on file for a stored user.
    public init(user: User) {
        self.init(documentNumber: user.document?.number, phone: user.phone, birthDate: user.birthDate,
                  email: user.email, username: user.username)
    }

    /// No personal data at all (only the generic rules apply).
    public static let none = PersonalData()
}

extension PersonalData {
    /// The document number's letters and digits (a NIT's `-8` check digit separator dropped).
    var documentCharacters: String? {
        documentNumber.map { String($0.lowercased().filter { $0.isLetter || $0.isNumber }) }
    }

    /// The phone number's digits, without a `+57`/`57` country code when it has ten more.
    var phoneDigits: String? {
        guard let phone else { return nil }
        var digits = String(phone.filter { $0.isASCII && $0.isNumber })
        if digits.count == 12, digits.hasPrefix("57") { digits.removeFirst(2) }
        return digits
    }

    /// The email's local part, lower-cased.
    var emailName: String? {
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        return String(email[..<at]).lowercased()
    }

    /// The birth date written as people write it in passwords: full dates in every order,
    /// with and without separators, two-digit years, day and month alone, and the year.
    var birthDateForms: [String] {
        guard let date = birthDate else { return [] }
        let y = String(date.year), yy = String(y.suffix(2))
        let m = Self.twoDigits(date.month), d = Self.twoDigits(date.day)
        var forms = [y + m + d, d + m + y, m + d + y, d + m + yy, yy + m + d, m + d + yy,
                     d + m, m + d, y]
        for separator in ["-", "/", "."] {
            forms.append([y, m, d].joined(separator: separator))
            forms.append([d, m, y].joined(separator: separator))
            forms.append([d, m].joined(separator: separator))
        }
        return forms
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
