import Foundation

/// SOI's minimum rules for a new password ("Cambio de Clave").
///
/// The guide sets none; these are the floor NIST SP 800-63B §5.1.1.2 recommends for
/// memorized secrets: a minimum length, a check against commonly used passwords, and no reuse
/// of what the user types as the current (or temporary) password. No composition rules: they
/// push people to predictable patterns. Cajacopi has its own stricter policy; this is SOI's.
public struct SOIPasswordRules: Sendable {
    /// Fewest characters accepted. Default 8 (SP 800-63B's minimum for user-chosen secrets).
    public var minimumLength: Int
    /// Most characters accepted. Default 128: long passphrases pass, megabyte bodies do not
    /// reach the hasher.
    public var maximumLength: Int
    /// Lower-cased passwords refused as too common (`Resources/data/common-passwords.txt`).
    public let commonPasswords: Set<String>

    /// Rules with `commonPasswords` (compared lower-cased) and the documented limits.
    public init(commonPasswords: Set<String> = [], minimumLength: Int = 8, maximumLength: Int = 128) {
        self.commonPasswords = Set(commonPasswords.map { $0.lowercased() })
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    /// Loads the common-password list, one per line (blank lines and `#` comments skipped).
    public static func load(commonPasswordsFile url: URL) throws -> SOIPasswordRules {
        let text = try String(contentsOf: url, encoding: .utf8)
        let words = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return SOIPasswordRules(commonPasswords: Set(words))
    }

    /// Why `new` is refused, or nil when it is acceptable. `confirmation` must equal `new`;
    /// `current` is what the user typed as Clave Actual (the temporary password after a
    /// recovery); `userDocument` is the user's own document number.
    public func problem(new: String, confirmation: String, current: String, userDocument: String?) -> SOIFieldError? {
        let count = new.count
        if count == 0 {
            return SOIFieldError(field: "clave_nueva", message: "Escriba la nueva clave.")
        }
        if count < minimumLength {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave debe tener al menos \(minimumLength) caracteres.")
        }
        if count > maximumLength {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave puede tener como máximo \(maximumLength) caracteres.")
        }
        if new == current {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave debe ser distinta de la clave actual.")
        }
        if commonPasswords.contains(new.lowercased()) {
            return SOIFieldError(field: "clave_nueva",
                                 message: "Esa clave es demasiado común y fácil de adivinar. Elija otra.")
        }
        if let userDocument, userDocument.count >= 4, new.uppercased().contains(userDocument.uppercased()) {
            return SOIFieldError(field: "clave_nueva", message: "La nueva clave no puede contener su número de documento.")
        }
        if new != confirmation {
            return SOIFieldError(field: "clave_confirmacion", message: "La confirmación no coincide con la nueva clave.")
        }
        return nil
    }
}
