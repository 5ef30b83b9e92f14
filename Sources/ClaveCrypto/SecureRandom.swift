import COpenSSL

/// Errors from the crypto layer that a caller can act on.
public enum CryptoError: Error, Sendable, Equatable {
    /// The CSPRNG could not produce bytes; the operation must fail closed.
    case randomUnavailable
    /// libcrypto refused an operation (the name says which).
    case libcrypto(String)
    /// Input that cannot be decoded (base64url, a hash string, a key).
    case malformed(String)
}

/// Bytes and tokens from OpenSSL's CSPRNG (`RAND_bytes`).
///
/// Every secret Clave makes (reset tokens, session ids, CSRF tokens, temporary passwords,
/// captcha ids, salts) comes from here, never from `SystemRandomNumberGenerator` mixed with
/// anything else, so there is one place to audit.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        let ok = out.withUnsafeMutableBytes { raw in
            RAND_bytes(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count))
        }
        guard ok == 1 else { throw .randomUnavailable }
        return out
    }

    /// A URL-safe token of `bytes` random bytes (default 32, 256 bits), base64url without padding.
    ///
    /// ```swift
    /// let token = try SecureRandom.token()   // "q3W9...": 43 characters
    /// ```
    /// Fewer than `minimumTokenBytes` (16, 128 bits: DESIGN.md, Rules) is refused, so no caller
    /// can make a guessable token by passing a small count.
    public static func token(bytes: Int = 32) throws(CryptoError) -> String {
        guard bytes >= minimumTokenBytes else { throw .malformed("a token needs at least \(minimumTokenBytes) bytes") }
        return Base64URL.encode(try self.bytes(bytes))
    }

    /// The fewest random bytes a token may carry: 16 (128 bits).
    public static let minimumTokenBytes = 16

    /// A uniformly random integer in `0..<upperBound`, by rejection sampling (no modulo bias).
    public static func uniform(_ upperBound: Int) throws(CryptoError) -> Int {
        precondition(upperBound > 0 && upperBound <= Int(UInt32.max))
        let bound = UInt32(upperBound)
        let limit = UInt32.max - (UInt32.max % bound)
        while true {
            let b = try bytes(4)
            let value = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            if value < limit { return Int(value % bound) }
        }
    }

    /// A string of `length` characters drawn uniformly from `alphabet`.
    public static func string(length: Int, alphabet: [Character]) throws(CryptoError) -> String {
        var out = ""
        for _ in 0..<length { out.append(alphabet[try uniform(alphabet.count)]) }
        return out
    }
}
