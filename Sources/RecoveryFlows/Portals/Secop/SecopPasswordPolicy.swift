import Foundation

/// A rule a new SECOP II password broke, with the sentence the change page shows for it.
public enum SecopPasswordProblem: String, Sendable, Equatable, CaseIterable {
    /// Shorter than ``SecopPasswordPolicy/minimumLength``.
    case tooShort
    /// Longer than ``SecopPasswordPolicy/maximumLength``.
    case tooLong
    /// The same as, or containing, the user name.
    case containsUsername
    /// On the list of common passwords.
    case common
    /// The confirmation differs from the new password.
    case mismatchedConfirmation

    /// What the user reads, in Spanish.
    public func message(policy: SecopPasswordPolicy) -> String {
        switch self {
        case .tooShort: "La contraseña debe tener al menos \(policy.minimumLength) caracteres."
        case .tooLong: "La contraseña no puede tener más de \(policy.maximumLength) caracteres."
        case .containsUsername: "La contraseña no puede ser ni contener su nombre de usuario."
        case .common: "Esa contraseña es demasiado común y fácil de adivinar. Elija otra."
        case .mismatchedConfirmation: "La confirmación no coincide con la nueva contraseña."
        }
    }
}

/// SECOP II's rules for a new password: long enough, not the user name, not a common one.
///
/// Length and a block list instead of "one upper case, one digit" composition rules, as
/// NIST SP 800-63B §5.1.1.2 advises: composition rules push people to `Contraseña1`, a
/// block list of leaked passwords stops what attackers actually try first.
public struct SecopPasswordPolicy: Sendable {
    /// Fewest characters. Default 8 (the portal's guide and NIST SP 800-63B §5.1.1.2).
    public var minimumLength: Int
    /// Most characters. Default 128: long passphrases fit, the hasher's 1 KiB cap is never hit.
    public var maximumLength: Int
    /// Lower-case common passwords, refused case-insensitively.
    public let commonPasswords: Set<String>

    /// Creates a policy from its limits and block list.
    public init(minimumLength: Int = 8, maximumLength: Int = 128, commonPasswords: Set<String>) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.commonPasswords = commonPasswords
    }

    /// A policy whose block list is `Resources/data/common-passwords.txt` (one a line) under
    /// `resources`. A missing list is an error: a policy silently without it would be weaker.
    public init(resources: URL, minimumLength: Int = 8, maximumLength: Int = 128) throws {
        let file = resources.appendingPathComponent("data/common-passwords.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let words = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        self.init(minimumLength: minimumLength, maximumLength: maximumLength,
                  commonPasswords: Set(words.filter { !$0.isEmpty }))
    }

    /// Every rule `password` breaks for `username`, in the order the page lists them; empty
    /// when it is acceptable.
    public func problems(password: String, confirmation: String, username: String) -> [SecopPasswordProblem] {
        var problems: [SecopPasswordProblem] = []
        let length = password.count
        if length < minimumLength { problems.append(.tooShort) }
        if length > maximumLength { problems.append(.tooLong) }
        let lowered = password.lowercased()
        let name = username.lowercased()
        if !name.isEmpty, lowered.contains(name) { problems.append(.containsUsername) }
        if commonPasswords.contains(lowered) { problems.append(.common) }
        if password != confirmation { problems.append(.mismatchedConfirmation) }
        return problems
    }
}
