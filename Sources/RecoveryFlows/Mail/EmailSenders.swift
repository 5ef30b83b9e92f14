import Foundation
import UserStore

/// Who each portal's emails come from: an RFC 5322 mailbox per portal.
///
/// Each portal writes from its own address, as its guide shows (SECOP II's mail comes from
/// `registro@…`), so users learn one sender and can distrust the rest. The domain is
/// configurable because staff run Clave on their own machines and mail servers.
///
/// ```swift
/// let senders = EmailSenders(domain: "correo.example.co")
/// senders.sender(for: .secop)   // "SECOP II <registro@correo.example.co>"
/// ```
public struct EmailSenders: Sendable, Equatable {
    /// SOI's sender. Default `SOI Aportes en Línea <soporte@soi.example>`.
    public var soi: String
    /// SECOP II's sender: the guide's `registro@` mailbox. Default `SECOP II <registro@secop.example>`.
    public var secop: String
    /// Cajacopi's sender. Default `Cajacopi EPS <notificaciones@cajacopi.example>`.
    public var cajacopi: String

    /// Creates a value from its fields; every default is on a reserved `.example` domain.
    public init(soi: String = "SOI Aportes en Línea <soporte@soi.example>",
                secop: String = "SECOP II <registro@secop.example>",
                cajacopi: String = "Cajacopi EPS <notificaciones@cajacopi.example>") {
        self.soi = soi
        self.secop = secop
        self.cajacopi = cajacopi
    }

    /// Every portal's usual mailbox name on one mail domain (`registro@DOMAIN` for SECOP II).
    public init(domain: String) {
        self.init(soi: "SOI Aportes en Línea <soporte@\(domain)>",
                  secop: "SECOP II <registro@\(domain)>",
                  cajacopi: "Cajacopi EPS <notificaciones@\(domain)>")
    }

    /// The mailbox `portal`'s emails come from.
    public func sender(for portal: Portal) -> String {
        switch portal {
        case .soi: soi
        case .secop: secop
        case .cajacopi: cajacopi
        }
    }

    /// The senders on `domain` as an operator types it (`clave serve --mail-domain`), or `nil`
    /// when it is empty or not a plain domain name: letters, digits, dots and hyphens only, so
    /// nothing else (`>`, CR, LF) can reach a `From` header. The domain must match the SMTP
    /// account and DKIM key, so it is the operator's to set.
    public init?(configuredDomain text: String) {
        let domain = text.trimmingCharacters(in: .whitespaces)
        guard !domain.isEmpty, domain.utf8.count <= 253, !domain.hasPrefix("."), !domain.hasSuffix("."),
              domain.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }) else { return nil }
        self.init(domain: domain)
    }
}
