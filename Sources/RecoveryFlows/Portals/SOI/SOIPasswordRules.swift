import ClaveCrypto
import UserStore

/// SOI's rules for a new password ("Cambio de Clave"), on top of the shared `PasswordPolicy`.
///
/// The guide sets none; SOI takes NIST SP 800-63B §5.1.1.2's floor for memorized secrets: at
/// least 8 characters, not on the common-password list, none of the user's own data, and no
/// composition rules (they push people to predictable patterns). Two checks are SOI's own:
/// the new clave must differ from Clave Actual (after a recovery, the emailed temporary one),
/// and Confirmar Clave must repeat it.
public struct SOIPasswordRules: Sendable {
    /// Length, common list and personal data (no upper/lower/digit requirements).
    public var policy: PasswordPolicy

    /// SOI's policy: the shared one without character-class rules, with `commonPasswords`.
    public init(commonPasswords: CommonPasswordList? = nil) {
        policy = PasswordPolicy(requiresUppercase: false, requiresLowercase: false, requiresDigit: false,
                                commonPasswords: commonPasswords)
    }

    /// Rules over an explicit policy (tests, or staff who want stricter ones).
    public init(policy: PasswordPolicy) { self.policy = policy }

    /// The first problem with `new`, worded for the field it belongs to, or nil when it is
    /// acceptable. `current` is what the user typed as Clave Actual.
    public func problem(new: String, confirmation: String, current: String, user: User) -> SOIFieldError? {
        if new.isEmpty {
            return SOIFieldError(field: "clave_nueva", message: "Escriba la nueva clave.")
        }
        if let violation = policy.violations(of: new, personalData: PersonalData(user: user)).first {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave no es válida: " + violation.message(for: policy))
        }
        // Compared as hashed (NFKC): two spellings that log in the same are the same clave.
        let hashed = PasswordHasher.normalized(new)
        if hashed == PasswordHasher.normalized(current) {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave debe ser distinta de la clave actual.")
        }
        if hashed != PasswordHasher.normalized(confirmation) {
            return SOIFieldError(field: "clave_confirmacion", message: "La confirmación no coincide con la nueva clave.")
        }
        return nil
    }

    /// The rules as the page lists them, in Spanish.
    public var requirements: [String] {
        var lines = ["Mínimo \(policy.minimumLength) caracteres.",
                     "Distinta de la clave actual y de la clave temporal.",
                     "Sin datos personales: su número de documento ni el nombre de su correo."]
        if policy.commonPasswords != nil { lines.append("No puede ser una clave común (como «password1»).") }
        return lines
    }
}
