/// A dotted path into the render context: `usuario.correo`, `.` (the current loop item) or a
/// loop variable (`@index`, `@number`, `@first`, `@last`, `@key`).
struct TemplatePath: Sendable, Equatable {
    /// Where the lookup starts.
    enum Head: Sendable, Equatable {
        case current, index, number, first, last, key
        case name(String)
    }

    let head: Head
    /// Keys followed through dictionaries after the head.
    let rest: [String]
    /// The path as written, for error messages.
    let text: String

    /// Reads a path, or `nil` when `text` is not one. Segments hold letters, digits, `_` and
    /// `-`; loop variables stand alone.
    init?(_ text: Substring) {
        self.text = String(text)
        if text == "." {
            head = .current
            rest = []
            return
        }
        switch text {
        case "@index": head = .index
        case "@number": head = .number
        case "@first": head = .first
        case "@last": head = .last
        case "@key": head = .key
        default:
            let segments = text.split(separator: ".", omittingEmptySubsequences: false)
            guard segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isNameByte) }) else { return nil }
            head = .name(String(segments[0]))
            rest = segments.dropFirst().map(String.init)
            return
        }
        rest = []
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
