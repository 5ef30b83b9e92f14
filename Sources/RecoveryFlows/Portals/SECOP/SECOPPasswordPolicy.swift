import ClaveCrypto
import Foundation
import UserStore

/// A reason a new SECOP II password was refused.
public enum SECOPPasswordProblem: Sendable, Hashable {
    /// A rule of the shared ``PasswordPolicy``.
    case rule(PasswordViolation)
    /// The confirmation differs from the new password.
    case mismatchedConfirmation

    /// A short stable name for the audit log (never the password).
    public var name: String {
        switch self {
        case .rule(let violation): String(describing: violation)
        case .mismatchedConfirmation: "mismatchedConfirmation"
        }
    }

    /// What the user reads, in Spanish.
    public func message(policy: SECOPPasswordPolicy) -> String {
        switch self {
        case .rule(let violation): violation.message(for: policy.rules)
        case .mismatchedConfirmation: "La confirmación no coincide con la nueva contraseña."
        }
    }
}

/// SECOP II's rules for a new password: the shared ``PasswordPolicy`` with length, the
/// common-password list and the user's own data (user name, email name), but without
/// composition rules, plus a matching confirmation.
///
/// No "one upper case, one digit" rules: the SECOP II guide asks for none, and NIST SP 800-63B
/// §5.1.1.2 advises against them (they push people to `Contraseña1`); the block list stops
/// what attackers actually try first.
public struct SECOPPasswordPolicy: Sendable {
    /// The shared rules, configured for SECOP II.
    public var rules: PasswordPolicy

    /// A policy over `rules`.
    public init(rules: PasswordPolicy) { self.rules = rules }

    /// SECOP II's rules with the block list `data/common-passwords.txt` under `resources`. A
    /// missing list is an error: a policy silently without it would be weaker.
    public init(resources: URL) throws {
        self.init(commonPasswords: try CommonPasswordList.shared(resources: resources.path))
    }

    /// SECOP II's rules with an already loaded block list.
    public init(commonPasswords: CommonPasswordList) {
        self.init(rules: PasswordPolicy(requiresUppercase: false, requiresLowercase: false, requiresDigit: false,
                                        commonPasswords: commonPasswords))
    }

    /// Fewest characters (default 8).
    public var minimumLength: Int { rules.minimumLength }

    /// Every rule `password` breaks for the user described by `personalData`, in the order the
    /// page lists them; empty when it is acceptable.
    public func problems(password: String, confirmation: String, personalData: PersonalData) -> [SECOPPasswordProblem] {
        var problems = rules.violations(of: password, personalData: personalData).map(SECOPPasswordProblem.rule)
        // Compared as hashed (NFKC): two spellings that log in the same are the same password.
        if PasswordHasher.normalized(password) != PasswordHasher.normalized(confirmation) { problems.append(.mismatchedConfirmation) }
        return problems
    }
}
