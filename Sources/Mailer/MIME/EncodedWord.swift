import Foundation

/// RFC 2047 encoded words for header text that is not plain ASCII (subjects and display names
/// in Spanish: "Contraseña", "Muñoz").
///
/// The `B` (base64) encoding is used: it is the one every reader decodes, and its length is easy
/// to bound. Each word holds whole Unicode scalars (RFC 2047 §5: a character is never split
/// across words) and is at most 75 characters (§2); words are joined by folding whitespace
/// (CRLF SP), which decoders drop between adjacent encoded words (§6.2).
public enum EncodedWord {
    /// RFC 2047 §2: an encoded word is at most 75 characters.
    public static let maximumWordLength = 75
    /// `=?UTF-8?B?` + `?=`.
    private static let overhead = 12
    /// Bytes per word: the largest multiple of 3 whose base64 fits in 75 - 12 characters.
    private static let bytesPerWord = (maximumWordLength - overhead) / 4 * 3

    /// Unstructured header text (Subject): unchanged when it is printable ASCII that cannot be
    /// mistaken for an encoded word, else a folded run of encoded words.
    public static func unstructured(_ text: String) -> String {
        if isPlain(text) && text.utf8.count <= 900 { return text }
        return encode(text)
    }

    /// A display name (RFC 5322 §3.2.5 `phrase`): an atom run when it can be, a quoted string
    /// when it holds specials, encoded words when it is not ASCII.
    public static func phrase(_ text: String) -> String {
        guard isPlain(text), text.utf8.count <= 200 else { return encode(text) }
        let atext = Set("!#$%&'*+-/=?^_`{|}~ ".utf8)
        if text.utf8.allSatisfy({ isAlphanumeric($0) || atext.contains($0) }), !text.hasPrefix(" "), !text.hasSuffix(" ") {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted += "\\" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// `text` as one or more `=?UTF-8?B?...?=` words joined by CRLF SP.
    public static func encode(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerWord {
                words.append(word(chunk))
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Printable ASCII with no `=?` (which a reader could take for an encoded word).
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
