/// A cookie for a response's `Set-Cookie` field (RFC 6265 §4.1).
///
/// The defaults are the safe ones DESIGN.md asks for: `Path=/`, `HttpOnly`, `SameSite=Lax`;
/// set `secure` behind HTTPS. `headerValue` refuses a name that is not a token and a value,
/// path or domain with a byte outside their grammar, so a cookie built from user input can
/// never add a header or an attribute.
///
/// ```swift
/// var response = HTTPResponse.redirect(to: "/soi/inicio")
/// response.setCookie(SetCookie(name: "sesion", value: token, secure: true, maxAge: 3600))
/// // Set-Cookie: sesion=...; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax
/// ```
public struct SetCookie: Sendable, Equatable {
    /// The `SameSite` attribute (RFC 6265bis §5.4.7): whether the browser sends the cookie on
    /// cross-site requests.
    public enum SameSite: String, Sendable, Equatable {
        case strict = "Strict"
        case lax = "Lax"
        /// Browsers accept `None` only with `Secure`.
        case none = "None"
    }

    /// Why a cookie cannot be written.
    public enum Error: Swift.Error, Sendable, Equatable {
        /// The name is empty or not a token (RFC 6265 §4.1.1 `cookie-name`).
        case invalidName
        /// The value holds a byte outside `cookie-octet` (controls, space, `"`, `,`, `;`, `\`,
        /// non-ASCII).
        case invalidValue
        /// The path holds a control byte or `;` (RFC 6265 §4.1.1 `path-value`).
        case invalidPath
        /// The domain is not letters, digits, `-` and `.`.
        case invalidDomain
        /// `SameSite=None` without `Secure`, which browsers reject.
        case sameSiteNoneRequiresSecure
    }

    /// The cookie name: a token (RFC 6265 §4.1.1).
    public var name: String
    /// The value, written as given: encode anything outside `cookie-octet` first (base64url
    /// tokens need nothing).
    public var value: String
    /// `Path`; nil leaves it to the browser (the request's directory).
    public var path: String?
    /// `Domain`; nil (the default, and the safest) keeps the cookie on this host only.
    public var domain: String?
    /// `Max-Age` in seconds; zero or less deletes the cookie.
    public var maxAge: Int?
    /// `Expires` as seconds since the Unix epoch, for old clients that ignore `Max-Age`.
    public var expires: Int?
    /// `Secure`: sent over HTTPS only.
    public var secure: Bool
    /// `HttpOnly`: hidden from scripts.
    public var httpOnly: Bool
    /// `SameSite`. Not optional on purpose: with an optional, `sameSite: .none` would mean
    /// nil (no attribute) rather than `SameSite=None`. Browsers treat a missing attribute as
    /// Lax, so nothing is lost by always writing it.
    public var sameSite: SameSite

    /// A cookie with the safe defaults.
    public init(
        name: String,
        value: String,
        path: String? = "/",
        domain: String? = nil,
        maxAge: Int? = nil,
        expires: Int? = nil,
        secure: Bool = false,
        httpOnly: Bool = true,
        sameSite: SameSite = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that deletes `name` in the browser (`Max-Age=0`, an expiry in 1970).
    public static func deleting(_ name: String, path: String? = "/", secure: Bool = false) -> SetCookie {
        SetCookie(name: name, value: "", path: path, maxAge: 0, expires: 0, secure: secure)
    }

    /// The `Set-Cookie` field value (RFC 6265 §4.1.1), or an error when a part would not
    /// stay inside its grammar.
    public var headerValue: String {
        get throws(SetCookie.Error) {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPSyntax.isTokenByte) else { throw .invalidName }
            guard Self.isValidValue(value) else { throw .invalidValue }
            var text = name + "=" + value
            if let path {
                guard path.utf8.allSatisfy(Self.isAttributeOctet) else { throw .invalidPath }
                text += "; Path=" + path
            }
            if let domain {
                guard !domain.isEmpty, domain.utf8.allSatisfy(Self.isDomainByte) else { throw .invalidDomain }
                text += "; Domain=" + domain
            }
            if let maxAge { text += "; Max-Age=\(max(maxAge, 0))" }
            if let expires { text += "; Expires=" + HTTPDateCache.format(epochSeconds: expires) }
            if sameSite == .none, !secure { throw .sameSiteNoneRequiresSecure }
            if secure { text += "; Secure" }
            if httpOnly { text += "; HttpOnly" }
            text += "; SameSite=" + sameSite.rawValue
            return text
        }
    }

    /// `cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )`.
    static func isValidValue(_ value: String) -> Bool {
        var bytes = value.utf8[...]
        if bytes.count >= 2, bytes.first == HTTPSyntax.quote, bytes.last == HTTPSyntax.quote {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.allSatisfy(isCookieOctet)
    }

    /// `cookie-octet` (RFC 6265 §4.1.1): US-ASCII visible characters except `"`, `,`, `;`
    /// and `\`.
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
            || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
    }

    /// `av-octet`: any CHAR except controls and `;` (RFC 6265 §4.1.1).
    static func isAttributeOctet(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F && byte != HTTPSyntax.semicolon
    }

    static func isDomainByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x2D || byte == 0x2E
    }
}
