import Foundation

/// Hashes and verifies passwords with scrypt, storing PHC strings (`PasswordHash`).
///
/// Passwords are normalized to Unicode NFKC first, so the same password typed on two keyboards
/// (composed "é" or "e" + combining accent, full-width digits) verifies; they are never
/// truncated. Verification is constant-time in the derived key.
///
/// ```swift
/// let hasher = PasswordHasher()                       // OWASP minimum: N=2^14, r=8, p=5
/// let stored = try hasher.hash("Correcto-Caballo-7")  // "$scrypt$ln=14,r=8,p=5$...$..."
/// try hasher.verify("Correcto-Caballo-7", against: stored)   // true
/// hasher.needsRehash(stored)                          // false until the cost is raised
/// ```
public struct PasswordHasher: Sendable {
    /// The cost new hashes get, and the salt and key sizes.
    public struct Cost: Sendable, Equatable {
        /// The scrypt cost parameters.
        public var parameters: Scrypt.Parameters
        /// Salt bytes, default 16 (128 bits, from the CSPRNG).
        public var saltLength: Int
        /// Derived key bytes, default 32.
        public var keyLength: Int

        /// Creates a value from its fields.
        public init(parameters: Scrypt.Parameters, saltLength: Int = 16, keyLength: Int = 32) {
            self.parameters = parameters
            self.saltLength = saltLength
            self.keyLength = keyLength
        }

        /// OWASP's scrypt minimum (Password Storage Cheat Sheet): N=2^14, r=8, p=5, about 16 MiB
        /// per hash and tens of milliseconds on a server core.
        public static let `default` = Cost(parameters: .init(logN: 14, r: 8, p: 5))

        /// A deliberately cheap cost (N=2^4, r=8, p=1) for tests that hash many passwords. Never
        /// for real accounts: `needsRehash` flags these under the default cost.
        public static let testing = Cost(parameters: .init(logN: 4, r: 8, p: 1))
    }

    /// The longest password accepted, in UTF-8 bytes after normalization: 1,024. Far above any
    /// real password (at least 64 characters are always allowed) and low enough that a request
    /// cannot make hashing expensive with a megabyte "password".
    public static let maximumPasswordBytes = 1_024

    /// The cost new hashes get.
    public let cost: Cost

    /// Creates a value from its fields.
    public init(cost: Cost = .default) { self.cost = cost }

    /// The password as it is hashed: Unicode NFKC (UAX #15), as NIST SP 800-63B §5.1.1.2 asks
    /// ("SHOULD apply the Normalization Process for Stabilized Strings using either the NFKC
    /// or NFKD normalization"). Password rules judge this form too (`PasswordPolicy`), so what
    /// they accept or refuse is what will log in: a full-width «ｐａｓｓｗｏｒｄ１２３» is
    /// `password123`.
    public static func normalized(_ password: String) -> String {
        password.precomposedStringWithCompatibilityMapping
    }

    /// The bytes scrypt sees: ``normalized(_:)`` as UTF-8. Throws when they are more than
    /// ``maximumPasswordBytes``.
    public static func normalizedBytes(_ password: String) throws(CryptoError) -> [UInt8] {
        let bytes = Array(normalized(password).utf8)
        guard bytes.count <= maximumPasswordBytes else {
            throw .malformed("password longer than \(maximumPasswordBytes) bytes")
        }
        return bytes
    }

    /// A new PHC string for `password`, with a fresh random salt and this hasher's cost.
    public func hash(_ password: String) throws(CryptoError) -> String {
        let salt = try SecureRandom.bytes(cost.saltLength)
        let key = try Scrypt.derive(password: try Self.normalizedBytes(password), salt: salt,
                                    parameters: cost.parameters, length: cost.keyLength)
        return PasswordHash(parameters: cost.parameters, salt: salt, hash: key).description
    }

    /// Whether `password` matches `stored`, using the parameters recorded in `stored` (so old
    /// hashes keep working after the cost is raised). A malformed stored string throws: that is
    /// a data problem to report, not a wrong password.
    public func verify(_ password: String, against stored: String) throws(CryptoError) -> Bool {
        let parsed = try PasswordHash(parsing: stored)
        let key = try Scrypt.derive(password: try Self.normalizedBytes(password), salt: parsed.salt,
                                    parameters: parsed.parameters, length: parsed.hash.count)
        return ConstantTime.equals(key, parsed.hash)
    }

    /// Whether `stored` should be replaced by a new hash at this hasher's cost (after a
    /// successful login, when the password is at hand): its parameters or sizes differ from the
    /// current ones, or it cannot be parsed.
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = try? PasswordHash(parsing: stored) else { return true }
        return parsed.parameters != cost.parameters || parsed.hash.count != cost.keyLength
            || parsed.salt.count < cost.saltLength
    }
}
