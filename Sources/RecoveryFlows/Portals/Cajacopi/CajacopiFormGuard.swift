import ClaveCrypto
import HTTPCore

/// CSRF protection for the Cajacopi recovery forms: a double-submit cookie bound by HMAC.
///
/// The browser holds a random nonce in an HttpOnly, SameSite=Strict cookie scoped to
/// `/cajacopi`; each form carries `csrf` = HMAC-SHA256(server key, nonce). Another site can
/// neither read the cookie nor compute the field, so a forged POST fails (OWASP CSRF cheat
/// sheet, "signed double-submit cookie"). It needs no server-side session, which the
/// recovery pages do not otherwise have: the user is, by definition, not logged in.
public struct CajacopiFormGuard: Sendable {
    /// The cookie's name.
    public static let cookieName = "cajacopi_csrf"
    private let key: [UInt8]
    private let secureCookies: Bool

    /// A guard signing with `key` (32 random bytes per process is enough: a restart only
    /// makes open forms ask once more). `secureCookies` adds `Secure` behind HTTPS.
    public init(key: [UInt8], secureCookies: Bool) {
        self.key = key
        self.secureCookies = secureCookies
    }

    /// The form field for this browser, and the cookie to set when it has none yet.
    public func issue(for request: HTTPRequest) throws -> (field: String, cookie: SetCookie?) {
        if let nonce = request.cookies[Self.cookieName], Self.isWellFormed(nonce) {
            return (field(for: nonce), nil)
        }
        let nonce = try SecureRandom.token()
        let cookie = SetCookie(name: Self.cookieName, value: nonce, path: "/cajacopi", secure: secureCookies,
                               httpOnly: true, sameSite: .strict)
        return (field(for: nonce), cookie)
    }

    /// Whether the posted `csrf` field matches this browser's cookie (constant-time).
    public func verify(_ request: HTTPRequest, field: String?) -> Bool {
        guard let field, let nonce = request.cookies[Self.cookieName], Self.isWellFormed(nonce) else { return false }
        return ConstantTime.equals(field, self.field(for: nonce))
    }

    private func field(for nonce: String) -> String {
        Base64URL.encode(HMACSHA256.authenticate(Array("cajacopi-csrf|\(nonce)".utf8), key: key))
    }

    private static func isWellFormed(_ nonce: String) -> Bool { CaptchaService.isWellFormed(id: nonce) }
}
