import ClaveCrypto
import Foundation

/// The CSRF token of a form shown to a browser without a session: OWASP's signed double-submit
/// cookie (CSRF Prevention Cheat Sheet). The browser holds a random ``FormCookie``; the form
/// carries `EXPIRY.MAC`, where MAC is HMAC-SHA256 under the server's stored `csrf` key of the
/// cookie value and the expiry.
///
/// Nothing is stored per visitor, so a cookieless GET writes nothing, and the key lives in the
/// database (`tx.serverKeys`), so a restart, or another process on the same file, accepts the
/// forms the first one showed. Another site can neither read the cookie nor mint a MAC for it;
/// a token copied from browser A fails with browser B's cookie. The expiry bounds how long a
/// token seen once (in a screenshot, a proxy log) stays good.
///
/// A logged-in session keeps its own per-session secret (``CSRFProtection``): login rotates it,
/// so tokens from before login stop working.
public struct SignedFormToken: Sendable {
    /// The name of the server key the tokens are MACed with.
    public static let serverKeyName = "csrf"

    /// The key (the stored `csrf` server key).
    let key: [UInt8]
    /// How long a token is accepted after the page was shown.
    public let lifetime: TimeInterval

    /// Tokens MACed with `key`, good for `lifetime` seconds (``AppConfiguration/formLifetime``).
    public init(key: [UInt8], lifetime: TimeInterval) {
        self.key = key
        self.lifetime = lifetime
    }

    /// The token for a form shown now to the browser whose form cookie is `cookie`.
    public func token(cookie: String, now: Date) -> String {
        let expiry = Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970.rounded(.up))
        return "\(expiry)." + Base64URL.encode(mac(cookie: cookie, expiry: expiry))
    }

    /// Whether `submitted` is a live token for `cookie` (constant-time MAC compare).
    public func isValid(_ submitted: String?, cookie: String, now: Date) -> Bool {
        guard let submitted, submitted.utf8.count < 128 else { return false }
        let parts = submitted.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 12, let expiry = Int64(parts[0]),
              Double(expiry) > now.timeIntervalSince1970, let given = Base64URL.decode(String(parts[1])) else { return false }
        return ConstantTime.equals(given, mac(cookie: cookie, expiry: expiry))
    }

    /// The MAC of (purpose, cookie, expiry); the purpose label keeps it from ever equalling
    /// another MAC made with the same key.
    private func mac(cookie: String, expiry: Int64) -> [UInt8] {
        HMACSHA256.authenticate(Array("clave-form-token\u{0}\(cookie)\u{0}\(expiry)".utf8), key: key)
    }
}
