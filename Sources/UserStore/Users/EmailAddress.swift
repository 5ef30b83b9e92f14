/// A syntactically plausible email address, trimmed and with its domain lower-cased.
///
/// Deliberately stricter than RFC 5321 §4.1.2 (no quoted local parts, no IP literals): these are
/// addresses people register with, and a narrow form keeps header injection impossible when the
/// address is later written into an email's `To:` line.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The normalized address.
    public let value: String

    /// RFC 5321 §4.5.3.1: local part at most 64 octets, the whole path at most 256 (254 usable).
    public static let maximumLength = 254

    /// The address in `text` (surrounding spaces ignored), or nil if it is not one.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count <= EmailAddress.maximumLength,
              let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = trimmed[..<at], domain = trimmed[trimmed.index(after: at)...].lowercased()
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        guard !local.isEmpty, local.utf8.count <= 64, local.allSatisfy({ localAllowed.contains($0) }),
              local.first != ".", local.last != ".", !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        }
        value = local + "@" + domain
    }

    /// A one-line message for logs and the command line.
    public var description: String { value }
}
