import Foundation

/// Why a typed identifier was refused before anything was looked up or counted.
public enum IdentifierError: Error, Sendable, Equatable {
    /// Nothing but spaces.
    case empty
    /// A control or invisible formatting character (``ControlCharacters``).
    case controlCharacter
}

/// A user name, email address or document number as a person typed it, in the one normal form
/// every account look-up and every rate-limit key uses.
///
/// Both must agree: if the look-up finds `demo.secop` for `Demo.Secop `, `ｄｅｍｏ.ｓｅｃｏｐ` or
/// `demo.secop\u{0}x` while the limiter counts each under a new key, a stranger can guess a
/// password or lock the account without ever filling its per-name limit. So there is one
/// function, ``normalize(_:)``, and look-ups (``UserRepository``) and keys (`RateLimiter`)
/// both call it; the typed value passes through ``init(_:)`` first, which refuses control and
/// invisible characters outright rather than guessing what they meant.
///
/// ```swift
/// let name = try Identifier("  Ｄｅｍｏ.Secop ")   // name.key == "demo.secop"
/// try Identifier("demo.secop\u{0}x")             // throws .controlCharacter
/// ```
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    /// The typed text in Unicode NFKC with surrounding spaces dropped, case kept: what a page
    /// shows back and what is parsed further (``EmailAddress``, ``Document``).
    public let value: String
    /// ``normalize(_:)`` of the text: the look-up value and the rate-limit key.
    public let key: String

    /// Checks and normalizes `typed`. Throws ``IdentifierError/controlCharacter`` for any
    /// character ``ControlCharacters`` refuses (checked before and after NFKC, anywhere in the
    /// text, also at its ends: a trailing newline is not "a space"), and
    /// ``IdentifierError/empty`` for nothing but spaces.
    public init(_ typed: String) throws(IdentifierError) {
        let compatible = typed.precomposedStringWithCompatibilityMapping
        guard !ControlCharacters.contains(typed), !ControlCharacters.contains(compatible) else { throw .controlCharacter }
        let trimmed = compatible.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        value = trimmed
        key = Identifier.normalize(trimmed)
    }

    /// The normal form: NFKC (UAX #15: full-width letters, ligatures and compatibility forms
    /// become their plain letters), lower-cased, NFKC again (lower-casing can un-normalize),
    /// and surrounding white space dropped. Idempotent. It refuses nothing: callers that take
    /// typed input go through ``init(_:)``; derived keys (document pairs, token hashes) come
    /// here directly.
    public static func normalize(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCompatibilityMapping
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The key, for tests and diagnostics; the audit log never records a typed identifier.
    public var description: String { key }
}

/// The characters no identifier or password may hold: they are invisible or mean something to
/// a C library, a terminal or a log file rather than to a person, and a browser never puts
/// them in a text field on its own.
///
/// Refused: every scalar of general category Cc (C0 and C1 controls, NUL and newlines
/// included) and Cf (format characters: U+200B ZERO WIDTH SPACE, U+FEFF BYTE ORDER MARK,
/// U+00AD SOFT HYPHEN, bidirectional overrides), as RFC 8264 §9.11-§9.12 (PRECIS) disallows
/// controls and default-ignorable code points. Passwords may keep the two join controls
/// (U+200C, U+200D, RFC 8264 §9.8): emoji sequences and some scripts need them.
public enum ControlCharacters {
    /// Whether `text` holds a refused scalar; `allowingJoinControls` for passwords.
    public static func contains(_ text: String, allowingJoinControls: Bool = false) -> Bool {
        text.unicodeScalars.contains { isRefused($0, allowingJoinControls: allowingJoinControls) }
    }

    /// Whether `scalar` is refused.
    public static func isRefused(_ scalar: Unicode.Scalar, allowingJoinControls: Bool = false) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: return true
        case .format: return !(allowingJoinControls && (scalar.value == 0x200C || scalar.value == 0x200D))
        default: return false
        }
    }
}
