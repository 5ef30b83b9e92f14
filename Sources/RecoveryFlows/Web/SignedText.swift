import ClaveCrypto

/// Text a browser carries for us and must not change: `base64url(text).base64url(mac)`, the MAC
/// HMAC-SHA256 under one of the stored server keys. The flash notice and the device cookie are
/// this; the text is readable (base64 is no secret), only forging and altering are stopped.
enum SignedText {
    /// `text` sealed with `key`.
    static func seal(_ text: String, key: [UInt8]) -> String {
        let payload = Base64URL.encode(Array(text.utf8))
        return payload + "." + Base64URL.encode(HMACSHA256.authenticate(Array(payload.utf8), key: key))
    }

    /// The text in `value` when its MAC under `key` holds and it is shorter than `maxLength`
    /// bytes (checked first, so a huge cookie is not even decoded); nil otherwise.
    static func open(_ value: String, key: [UInt8], maxLength: Int) -> String? {
        guard value.utf8.count < maxLength else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Base64URL.decode(String(parts[1])),
              HMACSHA256.verify(mac, message: Array(parts[0].utf8), key: key),
              let bytes = Base64URL.decode(String(parts[0])) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
