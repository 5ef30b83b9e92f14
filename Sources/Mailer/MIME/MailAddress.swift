/// An email address with an optional display name, checked when it is made.
///
/// Only the plain `local@domain` form is accepted (RFC 5321 §4.1.2 `Mailbox`, printable ASCII
/// without spaces or angle brackets): addresses come from our own database and users' forms,
/// and refusing the exotic forms (quoted local parts, source routes) is what keeps a CR, LF or
/// `>` from ever reaching an SMTP command or a header.
///
/// ```swift
/// let to = try MailAddress("ana@example.co", displayName: "Ana Muñoz")
/// to.headerValue   // "=?UTF-8?B?QW5hIE11w7Fveg==?= <ana@example.co>"
/// ```
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    /// `local@domain`, as given.
    public let address: String
    /// The name shown by mail readers, or nil.
    public let displayName: String?

    /// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254.
    public static let maximumLength = 254

    /// Checks `address` (see the type's comment) and that `displayName` has no line break or NUL.
    public init(_ address: String, displayName: String? = nil) throws(MailError) {
        guard !address.isEmpty, address.utf8.count <= Self.maximumLength else {
            throw .invalidAddress("empty or longer than \(Self.maximumLength) octets")
        }
        for byte in address.utf8 where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") {
            throw .invalidAddress("character 0x\(String(byte, radix: 16)) is not allowed")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].utf8.count <= 64 else {
            throw .invalidAddress("not of the form local@domain")
        }
        if let name = displayName, name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw .headerInjection(field: "display name")
        }
        self.address = address
        self.displayName = displayName?.isEmpty == true ? nil : displayName
    }

    /// The part after `@`: what logs may show instead of the whole address.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...])
    }

    /// The header form: `Name <local@domain>`, the name as a quoted string or an RFC 2047
    /// encoded word when it is not plain ASCII (RFC 5322 §3.4, RFC 2047 §5(3)).
    public var headerValue: String {
        guard let name = displayName else { return address }
        return EncodedWord.phrase(name) + " <" + address + ">"
    }

    /// The form people read, `Name <local@domain>` with the name as it is (accents and all):
    /// what the development mailbox shows, where an encoded word (`=?UTF-8?B?…?=`) would only
    /// get in the way. Never written into a header.
    public var displayValue: String {
        guard let name = displayName else { return address }
        return name + " <" + address + ">"
    }

    /// The header form.
    public var description: String { headerValue }
}
