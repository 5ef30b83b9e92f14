/// Keeps addresses out of log lines: servers echo the recipient in their replies
/// ("550 5.1.1 <ana@example.co>: unknown"), and logs may show a domain at most.
enum LogRedaction {
    /// `text` with the local part of every `local@domain` replaced by `***`.
    static func addresses(in text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            if let at = word.firstIndex(of: "@"), at != word.startIndex {
                let leading = word.prefix { $0 == "<" || $0 == "(" || $0 == "\"" || $0 == "'" }
                out += leading + "***" + word[at...]
            } else {
                out += word
            }
            word = ""
        }
        for character in text {
            if character == " " || character == "\t" || character == ":" || character == "," {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }
}
