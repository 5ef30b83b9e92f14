/// A rough, cheap view of where in HTML markup a `{{ }}` tag sits, to catch two mistakes at
/// load time instead of in production:
///
/// - `<input value={{ x }}>`: an unquoted attribute, where escaping cannot stop a space or
///   `>` from starting a new attribute (HTML Living Standard §13.1.2.3: unquoted values end
///   at whitespace);
/// - `<a href="{{ x }}">` without `| url`: escaping does not stop a `javascript:` URL;
/// - `<script>var a = "{{ x }}"</script>`: inside `script` and `style` the browser decodes no
///   character references (HTML Living Standard §13.1.2.1, raw text elements), so HTML
///   escaping neither protects nor shows the value correctly there.
///
/// It follows text in document order, ignoring sections, which is exact for the usual
/// templates (attributes are not split across `{{#if}}` branches) and errs only by
/// missing a case, never by rejecting a correct quoted attribute.
struct HTMLAttributeContext {
    /// What the context says about a value tag written at the current point.
    enum Finding: Equatable {
        case fine
        case unquotedAttribute
        case startsURLAttribute(String)
        case insideRawText(String)
    }

    private var inTag = false
    private var quote: UInt8?
    private var previous: UInt8 = 0
    private var lastSignificant: UInt8 = 0
    private var word: [UInt8] = []
    private var attributeName = ""
    private var quotedName: String?
    private var valueIsEmpty = false
    private var tagName: [UInt8] = []
    private var readingTagName = false
    /// `script` or `style` while inside one's content.
    private var rawTextElement: [UInt8]?
    private var recent: [UInt8] = []

    /// Attributes whose value the browser follows as a URL.
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href"]

    /// Moves the context over literal template text.
    mutating func feed(_ text: [UInt8]) {
        for byte in text { step(byte) }
    }

    /// Judges a value tag at the current point, then moves past it as if it were text.
    mutating func value() -> Finding {
        defer {
            if quote != nil { valueIsEmpty = false } else if inTag { lastSignificant = UInt8(ascii: "x") }
        }
        if let element = rawTextElement { return .insideRawText(String(decoding: element, as: UTF8.self)) }
        guard inTag else { return .fine }
        guard let _ = quote else {
            return lastSignificant == UInt8(ascii: "=") ? .unquotedAttribute : .fine
        }
        if valueIsEmpty, let name = quotedName, Self.urlAttributes.contains(name) {
            return .startsURLAttribute(name)
        }
        return .fine
    }

    private mutating func step(_ byte: UInt8) {
        defer { previous = byte }
        if let open = quote {
            if byte == open {
                quote = nil
                lastSignificant = byte
            } else {
                valueIsEmpty = false
            }
            return
        }
        if let element = rawTextElement {
            // Only `</script` (or `</style`) ends a raw text element.
            recent.append(byte | (Self.isLetter(byte) ? 0x20 : 0))
            if recent.count > element.count + 2 { recent.removeFirst() }
            if recent == [UInt8(ascii: "<"), UInt8(ascii: "/")] + element {
                rawTextElement = nil
                inTag = true
                readingTagName = false
                tagName = []
                word = []
            }
            return
        }
        guard inTag else {
            if previous == UInt8(ascii: "<"), Self.isLetter(byte) || byte == UInt8(ascii: "/") {
                inTag = true
                word = []
                lastSignificant = byte
                tagName = [byte | (Self.isLetter(byte) ? 0x20 : 0)]
                readingTagName = true
            }
            return
        }
        if readingTagName {
            if Self.isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                tagName.append(byte | (Self.isLetter(byte) ? 0x20 : 0))
                return
            }
            readingTagName = false
        }
        switch byte {
        case UInt8(ascii: ">"):
            inTag = false
            if tagName == Array("script".utf8) || tagName == Array("style".utf8) {
                rawTextElement = tagName
                recent = []
            }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            quote = byte
            quotedName = lastSignificant == UInt8(ascii: "=") ? attributeName : nil
            valueIsEmpty = true
        case UInt8(ascii: "="):
            attributeName = String(decoding: word, as: UTF8.self).lowercased()
            word = []
            lastSignificant = byte
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            if !word.isEmpty { lastSignificant = UInt8(ascii: "x") }
            word = []
        default:
            if Self.isWhitespace(previous) || previous == UInt8(ascii: "\"") || previous == UInt8(ascii: "'") { word = [] }
            word.append(byte)
            lastSignificant = byte
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
