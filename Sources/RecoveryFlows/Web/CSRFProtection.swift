import ClaveCrypto
import Foundation

/// CSRF tokens tied to a logged-in session (OWASP CSRF Prevention Cheat Sheet, synchronizer
/// token). Forms shown without a session use ``SignedFormToken`` instead, which needs no row.
///
/// Every session has a random secret; the token in its forms is
/// `base64url(HMAC-SHA256(secret, "csrf"))`. A POST from a browser with a session is accepted
/// only when its `csrf` field equals the token of that session (constant-time compare). A new
/// session (login) gets a new secret, so tokens from before login stop working.
public enum CSRFProtection {
    /// The hidden form field's name (DESIGN.md, Routes).
    public static let fieldName = "csrf"

    /// What the 403 page says. The usual cause is not an attack but a form left open past the
    /// session's idle lifetime (15 minutes), so the page tells the person what to do.
    public static let rejectionMessage =
        "El formulario caducó (estuvo abierto mucho tiempo o su sesión terminó) y, por seguridad, no se envió. "
        + "Vuelva a abrir la página, o el enlace del correo, y envíelo de nuevo."

    /// A new per-session secret.
    public static func newSecret() throws -> String { try SecureRandom.token(bytes: 32) }

    /// The token forms carry for a session with `secret`.
    public static func token(secret: String) -> String {
        Base64URL.encode(HMACSHA256.authenticate(Array("csrf".utf8), key: Array(secret.utf8)))
    }

    /// Whether `submitted` is the token for `secret`.
    public static func isValid(_ submitted: String?, secret: String) -> Bool {
        guard let submitted, !submitted.isEmpty, submitted.utf8.count < 128 else { return false }
        return ConstantTime.equals(submitted, token(secret: secret))
    }
}
