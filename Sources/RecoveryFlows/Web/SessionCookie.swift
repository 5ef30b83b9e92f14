import ClaveCrypto
import HTTPCore

/// The session cookie: a random id the browser holds; only its SHA-256 is stored.
///
/// `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on cross-site POSTs), `Secure`
/// behind HTTPS, `Path=/`, no `Max-Age` (gone when the browser closes; the server's idle and
/// absolute expiry apply anyway). OWASP Session Management Cheat Sheet.
public enum SessionCookie {
    /// The cookie's name.
    public static let name = "clave_sesion"
    /// Bytes of randomness in an id: 256 bits, over the 128 OWASP asks for.
    public static let idBytes = 32

    /// A new random id (base64url).
    public static func newID() throws -> String { try SecureRandom.token(bytes: idBytes) }

    /// What is stored for `id`: lower-case hex SHA-256.
    public static func hash(_ id: String) -> String { SHA256.hex(id) }

    /// Whether a cookie value has the shape of an id (so junk is not even hashed and looked up).
    public static func isWellFormed(_ value: String) -> Bool {
        value.utf8.count == 43 && Base64URL.decode(value)?.count == idBytes
    }

    /// The `Set-Cookie` for `id`.
    public static func setting(_ id: String, secure: Bool) -> SetCookie {
        SetCookie(name: name, value: id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The `Set-Cookie` that removes the cookie.
    public static func deleting(secure: Bool) -> SetCookie {
        var cookie = SetCookie.deleting(name, path: "/", secure: secure)
        cookie.httpOnly = true
        return cookie
    }
}
