import ClaveCrypto
import Foundation
import HTTPCore
import Templates

/// A one-time notice shown on the page after a redirect ("Sesión cerrada", "Enviamos un
/// correo..."), carried in a short-lived cookie signed with the server's `flash` key so that nobody can
/// make the site display text of their choosing.
public struct FlashNotice: Sendable, Equatable {
    /// How the notice looks (`notice success|error|warning|info`).
    public enum Kind: String, Sendable {
        case success, error, warning, info
    }

    /// The look.
    public var kind: Kind
    /// The Spanish text (escaped when shown).
    public var text: String

    /// A notice.
    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// The cookie's name.
    public static let cookieName = "clave_aviso"

    /// The name of the server key (`tx.serverKeys`) the cookie is signed with: stored, so a
    /// restart or a second process on the same file reads the notices the first one set.
    public static let serverKeyName = "flash"

    /// The cookie value: `kind:text` as ``SignedText``.
    func cookieValue(key: [UInt8]) -> String { SignedText.seal("\(kind.rawValue):\(text)", key: key) }

    /// The notice in `value`, when its signature holds.
    static func decode(_ value: String, key: [UInt8]) -> FlashNotice? {
        guard let text = SignedText.open(value, key: key, maxLength: 4096),
              let colon = text.firstIndex(of: ":"), let kind = Kind(rawValue: String(text[..<colon])) else { return nil }
        return FlashNotice(kind, String(text[text.index(after: colon)...]))
    }

    /// The notice as template values (`aviso.clase`, `aviso.texto`).
    public var templateValue: TemplateValue {
        .dictionary(["clase": .string(kind.rawValue), "texto": .string(text)])
    }
}
