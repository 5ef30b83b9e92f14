import ClaveCrypto
import UserStore

/// The rules a new password must meet, as an explicit value so each portal states its own.
///
/// The defaults are Cajacopi's guide ("Mínimo 8 caracteres. Caracteres en mayúscula. Caracteres
/// en minúscula. Debe contener números.", and no personal data), plus what the guide leaves out
/// but NIST SP 800-63B §5.1.1.2 asks for: a check against a list of commonly used passwords.
/// SOI and SECOP II reuse the type with their own limits.
///
/// ```swift
/// let policy = PasswordPolicy(commonPasswords: try .shared(resources: "Resources"))
/// let problems = policy.violations(of: "Luz1990x", personalData: PersonalData(user: user))
/// // [.containsBirthDate] when the user was born in 1990
/// ```
public struct PasswordPolicy: Sendable {
    /// The fewest characters (grapheme clusters) allowed. Default 8, as every guide asks.
    public var minimumLength: Int
    /// The most characters allowed. Default 128: long enough for passphrases and managers,
    /// short enough to bound the hashing work an attacker can make us do.
    public var maximumLength: Int
    /// Whether an upper-case letter is required. Default true.
    public var requiresUppercase: Bool
    /// Whether a lower-case letter is required. Default true.
    public var requiresLowercase: Bool
    /// Whether a decimal digit is required. Default true.
    public var requiresDigit: Bool
    /// Passwords refused whatever their shape; `nil` skips the check. Default `nil`, because
    /// the list lives in the resources folder, which only the caller knows.
    public var commonPasswords: CommonPasswordList?
    /// How many consecutive characters of a document or phone number count as "containing" it.
    /// Default 6: a cédula's last six digits are as guessable as the whole number, while a
    /// shorter run would refuse passwords for a coincidence.
    public var personalFragmentLength: Int

    /// A policy; every parameter has the default documented on its property.
    public init(minimumLength: Int = 8, maximumLength: Int = 128, requiresUppercase: Bool = true,
                requiresLowercase: Bool = true, requiresDigit: Bool = true,
                commonPasswords: CommonPasswordList? = nil, personalFragmentLength: Int = 6) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.requiresUppercase = requiresUppercase
        self.requiresLowercase = requiresLowercase
        self.requiresDigit = requiresDigit
        self.commonPasswords = commonPasswords
        self.personalFragmentLength = personalFragmentLength
    }

    /// Every rule `password` breaks, in the order the rules are listed to users; empty when
    /// the password is acceptable.
    ///
    /// The rules judge what is hashed (``PasswordHasher/normalized(_:)``, NFKC), not what was
    /// typed: otherwise a full-width «ｐａｓｓｗｏｒｄ１２３» would pass the block list and then
    /// log in as `password123`. Its UTF-8 bytes must also fit the hasher
    /// (``PasswordHasher/maximumPasswordBytes``), so an accepted password can always be
    /// hashed; and control characters are refused (``ControlCharacters``, join controls
    /// allowed).
    public func violations(of typed: String, personalData: PersonalData = .none) -> [PasswordViolation] {
        var found = Set<PasswordViolation>()
        let password = PasswordHasher.normalized(typed)
        let length = password.count
        if length < minimumLength { found.insert(.tooShort) }
        if length > maximumLength { found.insert(.tooLong) }
        if (try? PasswordHasher.normalizedBytes(typed)) == nil { found.insert(.tooManyBytes) }
        if ControlCharacters.contains(typed, allowingJoinControls: true)
            || ControlCharacters.contains(password, allowingJoinControls: true) {
            found.insert(.controlCharacter)
        }
        if requiresUppercase, !password.contains(where: { $0.isUppercase }) { found.insert(.missingUppercase) }
        if requiresLowercase, !password.contains(where: { $0.isLowercase }) { found.insert(.missingLowercase) }
        if requiresDigit, !password.contains(where: { $0.isASCII && $0.isNumber }) { found.insert(.missingDigit) }
        if let commonPasswords, commonPasswords.contains(password) { found.insert(.common) }
        found.formUnion(personalViolations(of: password, personalData: personalData))
        return PasswordViolation.allCases.filter { found.contains($0) }
    }

    /// The Spanish sentences for every rule `password` breaks (see `violations(of:personalData:)`).
    public func messages(for password: String, personalData: PersonalData = .none) -> [String] {
        violations(of: password, personalData: personalData).map { $0.message(for: self) }
    }

    /// Whether `password` meets every rule.
    public func accepts(_ password: String, personalData: PersonalData = .none) -> Bool {
        violations(of: password, personalData: personalData).isEmpty
    }

    /// The rules as a page lists them, in Spanish, in the guide's order.
    public var requirements: [String] {
        var lines = ["Mínimo \(minimumLength) caracteres."]
        if requiresUppercase { lines.append("Caracteres en mayúscula.") }
        if requiresLowercase { lines.append("Caracteres en minúscula.") }
        if requiresDigit { lines.append("Debe contener números.") }
        lines.append("Sin datos personales: identificación, teléfono, fecha de nacimiento ni el nombre de su correo.")
        if commonPasswords != nil { lines.append("No puede ser una contraseña común (como «Password1»).") }
        return lines
    }

    private func personalViolations(of password: String, personalData: PersonalData) -> Set<PasswordViolation> {
        let lowered = password.lowercased()
        // Separators are dropped so "1122-334455" or "17/05/1990" still match their digits.
        let compact = String(lowered.filter { $0.isLetter || $0.isNumber })
        var found = Set<PasswordViolation>()
        if let document = personalData.documentCharacters, contains(compact, fragmentsOf: document) {
            found.insert(.containsDocument)
        }
        if let phone = personalData.phoneDigits, contains(compact, fragmentsOf: phone) {
            found.insert(.containsPhone)
        }
        if personalData.birthDateForms.contains(where: { lowered.contains($0) || compact.contains($0) }) {
            found.insert(.containsBirthDate)
        }
        if let name = personalData.emailName, Self.contains(lowered, compact, nameParts: name) {
            found.insert(.containsEmailName)
        }
        if let username = personalData.username?.lowercased(), Self.contains(lowered, compact, nameParts: username) {
            found.insert(.containsUsername)
        }
        return found
    }

    /// Whether `text` holds `value` whole or any run of `personalFragmentLength` of its characters.
    private func contains(_ text: String, fragmentsOf value: String) -> Bool {
        let characters = Array(value)
        guard characters.count >= 3 else { return false }
        let run = min(characters.count, max(personalFragmentLength, 1))
        for start in 0...(characters.count - run) where text.contains(String(characters[start..<(start + run)])) {
            return true
        }
        return false
    }

    /// Whether the password holds a name whole (three characters or more) or one of its parts
    /// split at `.`, `_`, `-`, `+` and digits (four characters or more: "luz.mora" → "mora").
    private static func contains(_ lowered: String, _ compact: String, nameParts name: String) -> Bool {
        let compactName = String(name.filter { $0.isLetter || $0.isNumber })
        if name.count >= 3, lowered.contains(name) { return true }
        if compactName.count >= 3, compact.contains(compactName) { return true }
        let parts = name.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count >= 4 }
        return parts.contains { lowered.contains($0) }
    }
}
