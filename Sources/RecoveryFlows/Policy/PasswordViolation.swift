/// One rule a proposed password breaks, with the Spanish sentence the page shows for it.
///
/// The cases are in the order the rules are listed to users, so a page can show them sorted
/// as the guide lists them (length, upper case, lower case, digits, then personal data).
public enum PasswordViolation: Sendable, Hashable, CaseIterable {
    /// Fewer characters than `PasswordPolicy.minimumLength`.
    case tooShort
    /// More characters than `PasswordPolicy.maximumLength` (a bound on hashing work).
    case tooLong
    /// More UTF-8 bytes than the hasher takes (`PasswordHasher.maximumPasswordBytes`), though
    /// few enough characters: emoji sequences and stacked accents are many bytes each.
    case tooManyBytes
    /// A control or invisible formatting character (`ControlCharacters`): nobody can type it
    /// again on another keyboard, and C libraries read NUL as the end.
    case controlCharacter
    /// No upper-case letter.
    case missingUppercase
    /// No lower-case letter.
    case missingLowercase
    /// No decimal digit.
    case missingDigit
    /// The password (ignoring case) is on the common-password list.
    case common
    /// It contains the user's document (identification) number.
    case containsDocument
    /// It contains the user's phone number.
    case containsPhone
    /// It contains the user's birth date in one of its usual written forms.
    case containsBirthDate
    /// It contains the name part of the user's email address.
    case containsEmailName
    /// It contains the user's login name.
    case containsUsername

    /// The sentence shown to the user, in Spanish, given the policy's limits.
    public func message(for policy: PasswordPolicy) -> String {
        switch self {
        case .tooShort: return "Debe tener mínimo \(policy.minimumLength) caracteres."
        case .tooLong: return "Debe tener máximo \(policy.maximumLength) caracteres."
        case .tooManyBytes: return "Es demasiado larga: algunos símbolos, como los emoji, ocupan por varios caracteres. Use una más corta."
        case .controlCharacter: return "No debe contener caracteres de control ni invisibles; escríbala de nuevo sin copiar y pegar."
        case .missingUppercase: return "Debe contener caracteres en mayúscula."
        case .missingLowercase: return "Debe contener caracteres en minúscula."
        case .missingDigit: return "Debe contener números."
        case .common: return "Es una contraseña demasiado común y fácil de adivinar; elija otra."
        case .containsDocument: return "No debe contener su número de identificación."
        case .containsPhone: return "No debe contener su número de teléfono."
        case .containsBirthDate: return "No debe contener su fecha de nacimiento."
        case .containsEmailName: return "No debe contener el nombre de su correo electrónico."
        case .containsUsername: return "No debe contener su nombre de usuario."
        }
    }
}
