import COpenSSL

/// SHA-256 (FIPS 180-4) through libcrypto's EVP interface.
///
/// Used to store tokens, session ids and captcha answers as hashes: a leaked database then
/// holds nothing that opens an account.
public enum SHA256 {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// The digest of `data`.
    public static func hash(_ data: some Sequence<UInt8>) -> [UInt8] {
        let bytes = Array(data)
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                _ = EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        return out
    }

    /// The digest of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }

    /// The digest as lower-case hex, the form stored in the database.
    public static func hex(_ text: String) -> String { Hex.encode(hash(text)) }
}

/// HMAC-SHA256 (RFC 2104, vectors in RFC 4231).
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func authenticate(_ message: some Sequence<UInt8>, key: some Sequence<UInt8>) -> [UInt8] {
        let message = Array(message), key = Array(key)
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                out.withUnsafeMutableBufferPointer { o in
                    // A zero-length key still needs a valid pointer for HMAC().
                    let keyPointer = k.baseAddress ?? UnsafeRawPointer(o.baseAddress!)
                    _ = HMAC(EVP_sha256(), keyPointer, Int32(k.count),
                             m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count,
                             o.baseAddress, &length)
                }
            }
        }
        return out
    }

    /// Whether `mac` is the MAC of `message` under `key`, compared in constant time.
    public static func verify(_ mac: [UInt8], message: some Sequence<UInt8>, key: some Sequence<UInt8>) -> Bool {
        ConstantTime.equals(mac, authenticate(message, key: key))
    }
}
