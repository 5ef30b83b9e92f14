import Foundation

/// A stored password hash in PHC string format, carrying everything needed to check a password
/// later: the algorithm, its parameters, the salt and the derived key.
///
/// ```
/// $scrypt$ln=14,r=8,p=5$<salt, base64 without padding>$<hash, base64 without padding>
/// ```
///
/// Because the parameters travel with the hash, raising the default cost later does not break
/// old hashes: they verify with their own parameters and `PasswordHasher.needsRehash` says when
/// to store a new one. (PHC string format: github.com/P-H-C/phc-string-format; the base64 is
/// the standard alphabet without `=` padding.)
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    /// The scrypt cost parameters.
    public var parameters: Scrypt.Parameters
    /// The random salt.
    public var salt: [UInt8]
    /// The derived key.
    public var hash: [UInt8]

    /// Creates a value from its fields.
    public init(parameters: Scrypt.Parameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// The PHC string, e.g. `$scrypt$ln=14,r=8,p=5$c2FsdA$...`.
    public var description: String {
        "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(Self.encode(salt))$\(Self.encode(hash))"
    }

    /// Parses a PHC string, rejecting anything but scrypt with `ln`, `r`, `p` in that order,
    /// parameters within `Scrypt.Parameters.isWithinLimits`, a salt of 8-64 bytes and a hash of
    /// 16-64 bytes.
    public init(parsing text: String) throws(CryptoError) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else {
            throw .malformed("not a $scrypt$ PHC string")
        }
        var values: [String: Int] = [:]
        var order: [String] = []
        for pair in fields[2].split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            // Decimal digits only, no sign, no leading zeros, at most 4 digits: one spelling per value.
            guard parts.count == 2, let digits = parts.last, !digits.isEmpty, digits.count <= 4,
                  digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits == "0" || !digits.hasPrefix("0"),
                  let value = Int(digits) else {
                throw .malformed("bad scrypt parameter '\(pair)'")
            }
            values[String(parts[0])] = value
            order.append(String(parts[0]))
        }
        guard order == ["ln", "r", "p"], let ln = values["ln"], let r = values["r"], let p = values["p"] else {
            throw .malformed("scrypt parameters must be ln, r, p")
        }
        let parameters = Scrypt.Parameters(logN: ln, r: r, p: p)
        guard parameters.isWithinLimits else { throw .malformed("scrypt parameters out of range") }
        guard let salt = Self.decode(fields[3]), (8...64).contains(salt.count) else { throw .malformed("bad salt") }
        guard let hash = Self.decode(fields[4]), (16...64).contains(hash.count) else { throw .malformed("bad hash") }
        self.init(parameters: parameters, salt: salt, hash: hash)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.allSatisfy({ byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2B || byte == 0x2F
        }), text.count % 4 != 1 else { return nil }
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard let bytes = Data(base64Encoded: padded).map({ Array($0) }) else { return nil }
        // Canonical only (RFC 4648 §3.5: unused trailing bits are zero), so a hash has one spelling.
        return encode(bytes) == text ? bytes : nil
    }
}
