import COpenSSL

/// RSA signatures with SHA-256 (RSASSA-PKCS1-v1_5, RFC 8017 §8.2) from a PEM private key,
/// through libcrypto's `EVP_DigestSign`. DKIM's `rsa-sha256` (RFC 6376 §3.3.1) is its user.
///
/// ```swift
/// let signer = try RSASigner(pem: String(contentsOfFile: "dkim.pem"))
/// let signature = try signer.sign(Array("data".utf8))   // 256 bytes for a 2048-bit key
/// ```
public final class RSASigner: @unchecked Sendable {
    // EVP_PKEY is only read after loading; signing makes a fresh EVP_MD_CTX per call, so
    // sharing across threads is safe (OpenSSL 3 threading rules for const key use).
    private let key: OpaquePointer

    /// Smallest accepted modulus: RFC 8301 §3.2 requires 1024 bits and recommends 2048.
    public static let minimumBits: Int32 = 1024

    /// Loads a PEM private key (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`).
    public init(pem: String) throws(CryptoError) {
        let bytes = Array(pem.utf8)
        let loaded: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key = loaded else {
            ERR_clear_error()
            throw .malformed("not a PEM private key")
        }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            EVP_PKEY_free(key)
            throw .malformed("not an RSA key")
        }
        guard EVP_PKEY_get_bits(key) >= Self.minimumBits else {
            EVP_PKEY_free(key)
            throw .malformed("RSA key shorter than \(Self.minimumBits) bits")
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    /// The key size in bits.
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .libcrypto("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            ERR_clear_error()
            throw .libcrypto("EVP_DigestSignInit")
        }
        var length = 0
        let ok = message.withUnsafeBufferPointer { input -> Bool in
            guard EVP_DigestSign(context, nil, &length, input.baseAddress, input.count) == 1 else { return false }
            return true
        }
        guard ok else {
            ERR_clear_error()
            throw .libcrypto("EVP_DigestSign (length)")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard signed == 1 else {
            ERR_clear_error()
            throw .libcrypto("EVP_DigestSign")
        }
        return Array(signature.prefix(length))
    }

    /// The public key as DER `SubjectPublicKeyInfo`: base64 of it is the `p=` tag of the DKIM
    /// DNS record (RFC 6376 §3.6.1) the operator publishes.
    public func publicKeyDER() throws(CryptoError) -> [UInt8] {
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw .libcrypto("i2d_PUBKEY") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        guard written == length else { throw .libcrypto("i2d_PUBKEY") }
        return der
    }
}
