import ClaveCrypto
import HTTPCore

/// A cookie holding 256 random bits (base64url, 43 characters), hardened the same way for every
/// use: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on cross-site POSTs), `Secure`
/// behind HTTPS, `Path=/`, no `Max-Age` (gone when the browser closes). OWASP Session
/// Management Cheat Sheet. ``SessionCookie`` and ``FormCookie`` are the two.
public struct RandomCookie: Sendable {
    /// The cookie's name.
    public let name: String
    /// Bytes of randomness in a value: 256 bits, over the 128 OWASP asks for.
    public static let valueBytes = 32

    /// The cookie called `name`.
    public init(name: String) { self.name = name }

    /// A new random value (base64url).
    public func newValue() throws -> String { try SecureRandom.token(bytes: Self.valueBytes) }

    /// Whether a cookie value has the shape of ours (so junk is not even hashed or MACed).
    public func isWellFormed(_ value: String) -> Bool {
        value.utf8.count == 43 && Base64URL.decode(value)?.count == Self.valueBytes
    }

    /// The `Set-Cookie` for `value`.
    public func setting(_ value: String, secure: Bool) -> SetCookie {
        SetCookie(name: name, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The `Set-Cookie` that removes the cookie.
    public func deleting(secure: Bool) -> SetCookie {
        var cookie = SetCookie.deleting(name, path: "/", secure: secure)
        cookie.httpOnly = true
        return cookie
    }
}

/// The anonymous browser's form cookie, `clave_formulario`: a random value the server never
/// stores. Forms shown without a session carry a ``SignedFormToken`` MACed over it (OWASP's
/// signed double-submit cookie), and Cajacopi's captcha answers are derived from it, so a
/// cookieless visit costs the server no row, and another browser (another cookie) can use
/// neither the forms nor the captchas drawn for this one.
public enum FormCookie {
    /// The cookie.
    public static let cookie = RandomCookie(name: "clave_formulario")
    /// The cookie's name.
    public static var name: String { cookie.name }
}
