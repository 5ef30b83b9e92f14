import ClaveCrypto
import HTTPCore

/// The session cookie, `clave_sesion`: a random id the browser holds (``RandomCookie``); only its
/// SHA-256 is stored. A session exists only after a login: anonymous forms use ``FormCookie``.
public enum SessionCookie {
    /// The cookie.
    static let cookie = RandomCookie(name: "clave_sesion")
    /// The cookie's name.
    public static var name: String { cookie.name }
    /// Bytes of randomness in an id: 256 bits, over the 128 OWASP asks for.
    public static var idBytes: Int { RandomCookie.valueBytes }

    /// A new random id (base64url).
    public static func newID() throws -> String { try cookie.newValue() }

    /// What is stored for `id`: lower-case hex SHA-256.
    public static func hash(_ id: String) -> String { SHA256.hex(id) }

    /// Whether a cookie value has the shape of an id (so junk is not even hashed and looked up).
    public static func isWellFormed(_ value: String) -> Bool { cookie.isWellFormed(value) }

    /// The `Set-Cookie` for `id`.
    public static func setting(_ id: String, secure: Bool) -> SetCookie { cookie.setting(id, secure: secure) }

    /// The `Set-Cookie` that removes the cookie.
    public static func deleting(secure: Bool) -> SetCookie { cookie.deleting(secure: secure) }
}
