import Foundation

/// SOI's emailed temporary password as people paste it: mail clients add spaces and line
/// breaks around a selection, so a login's `clave` that is a temporary password (six groups of
/// four letters and digits, `Ab3d-…`) with only white space around it is read without it.
/// Nothing else is trimmed: a password someone chose keeps every character they typed.
enum SOIPastedPassword {
    /// `typed` without the spaces and line breaks around it when what remains has the shape of
    /// a temporary password; otherwise `typed` as it is.
    static func cleaned(_ typed: String) -> String {
        let trimmed = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed != typed, isTemporaryShaped(trimmed) else { return typed }
        return trimmed
    }

    /// Whether `text` is groups of four ASCII letters or digits joined by `-` (the shape
    /// `SecureRandom.readablePassword` writes).
    static func isTemporaryShaped(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.count >= 3 && groups.allSatisfy { group in
            group.count == 4 && group.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
        }
    }
}
