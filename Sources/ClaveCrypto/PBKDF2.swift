import COpenSSL

/// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2) through libcrypto's `PKCS5_PBKDF2_HMAC`.
///
/// SCRAM-SHA-256 (RFC 7677) calls it `Hi()`: the PostgreSQL client derives the salted password
/// with it. It is not the password hash of the store (that is scrypt, see ``Scrypt``).
public enum PBKDF2SHA256 {
    /// `length` bytes derived from `password` and `salt` with `iterations` rounds; nil when
    /// libcrypto refuses the arguments (zero iterations, a count past `Int32.max`).
    public static func derive(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32) -> [UInt8]? {
        guard iterations > 0, iterations <= Int(Int32.max), length > 0, length <= 1 << 16 else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    // A zero-length password or salt still needs a valid pointer.
                    let empty: [UInt8] = [0]
                    return empty.withUnsafeBufferPointer { zero in
                        let fallback = zero.baseAddress!
                        return PKCS5_PBKDF2_HMAC(
                            UnsafeRawPointer(p.baseAddress ?? fallback).assumingMemoryBound(to: CChar.self), Int32(p.count),
                            s.baseAddress ?? fallback, Int32(s.count),
                            Int32(iterations), EVP_sha256(), Int32(length), o.baseAddress)
                    }
                }
            }
        }
        return ok == 1 ? out : nil
    }
}
