/// One piece of template source: literal text, or a `{{ }}` tag with its line.
enum TemplateToken: Sendable, Equatable {
    case text([UInt8], line: Int)
    case tag(TemplateTag, line: Int)
}

/// What a `{{ }}` tag says, before sections are matched up.
enum TemplateTag: Sendable, Equatable {
    /// `{{ expr }}` (`triple` for `{{{ expr }}}`), the expression text trimmed.
    case value(String, triple: Bool)
    /// `{{#keyword argument}}`.
    case open(String, argument: String)
    /// `{{/keyword}}`.
    case close(String)
    /// `{{else}}`.
    case otherwise
    /// `{{> name}}`.
    case partial(String)
    /// `{{! … }}`.
    case comment

    /// Tags that print nothing: when one stands alone on its line, the whole line goes, so
    /// section tags do not leave blank lines in text emails (the Mustache "standalone" rule).
    var removesItsLine: Bool {
        if case .value = self { return false }
        return true
    }
}

/// Splits template source into text and tags, counting lines.
enum TemplateLexer {
    /// The tokens of `source`, with standalone section lines removed.
    static func tokens(of source: [UInt8], file: String) throws(TemplateError) -> [TemplateToken] {
        var tokens: [TemplateToken] = []
        var index = 0
        var line = 1
        var textStart = 0
        var textLine = 1
        let brace = UInt8(ascii: "{"), closing = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
        while index < source.count {
            let byte = source[index]
            guard byte == brace, index + 1 < source.count, source[index + 1] == brace else {
                if byte == newline { line += 1 }
                index += 1
                continue
            }
            if textStart < index {
                tokens.append(.text(Array(source[textStart..<index]), line: textLine))
            }
            let tagLine = line
            let triple = index + 2 < source.count && source[index + 2] == brace
            let delimiter = triple ? 3 : 2
            var scan = index + delimiter
            var end: Int?
            while scan + delimiter <= source.count {
                if source[scan] == closing, source[scan + 1] == closing, !triple || source[scan + 2] == closing {
                    end = scan
                    break
                }
                if source[scan] == newline { line += 1 }
                scan += 1
            }
            guard let end else { throw TemplateError(.unclosedTag, file: file, line: tagLine) }
            let content = String(decoding: source[(index + delimiter)..<end], as: UTF8.self)
            tokens.append(.tag(try tag(content, triple: triple, file: file, line: tagLine), line: tagLine))
            index = end + delimiter
            textStart = index
            textLine = line
        }
        if textStart < source.count {
            tokens.append(.text(Array(source[textStart...]), line: textLine))
        }
        return removingStandaloneLines(tokens)
    }

    /// Reads the inside of one tag.
    static func tag(_ raw: String, triple: Bool, file: String, line: Int) throws(TemplateError) -> TemplateTag {
        let content = raw.trimmingWhitespace()
        if triple {
            guard !content.isEmpty else { throw TemplateError(.emptyTag, file: file, line: line) }
            return .value(content, triple: true)
        }
        guard let first = content.first else { throw TemplateError(.emptyTag, file: file, line: line) }
        let rest = String(content.dropFirst()).trimmingWhitespace()
        switch first {
        case "!":
            return .comment
        case "#":
            let keyword = String(rest.prefix { !$0.isWhitespace })
            let argument = String(rest.dropFirst(keyword.count)).trimmingWhitespace()
            guard ["if", "unless", "each", "block", "extends"].contains(keyword) else {
                throw TemplateError(.unknownTag("#" + keyword), file: file, line: line)
            }
            return .open(keyword, argument: argument)
        case "/":
            return .close(rest)
        case ">":
            let name = rest.unquoted()
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                throw TemplateError(.invalidExpression(content), file: file, line: line)
            }
            return .partial(name)
        default:
            return content == "else" ? .otherwise : .value(content, triple: false)
        }
    }

    /// Applies the standalone rule: a line holding only one non-printing tag and blanks is
    /// dropped whole. Decided on the original tokens first, then trimmed, so two such lines
    /// in a row both go.
    static func removingStandaloneLines(_ tokens: [TemplateToken]) -> [TemplateToken] {
        var dropHead = [Int](repeating: 0, count: tokens.count)
        var dropTail = [Int](repeating: 0, count: tokens.count)
        for (position, token) in tokens.enumerated() {
            guard case .tag(let tag, _) = token, tag.removesItsLine else { continue }
            var tail = 0
            if position > 0 {
                guard case .text(let before, _) = tokens[position - 1],
                      let count = blanksAfterLastNewline(before, atFileStart: position == 1) else { continue }
                tail = count
            }
            var head = 0
            if position + 1 < tokens.count {
                guard case .text(let after, _) = tokens[position + 1],
                      let count = blanksThroughFirstNewline(after, atFileEnd: position + 2 == tokens.count) else { continue }
                head = count
            }
            if position > 0 { dropTail[position - 1] = tail }
            if position + 1 < tokens.count { dropHead[position + 1] = head }
        }
        return tokens.enumerated().compactMap { position, token in
            guard case .text(let bytes, let line) = token, dropHead[position] + dropTail[position] > 0 else { return token }
            let start = min(dropHead[position], bytes.count)
            let end = max(start, bytes.count - dropTail[position])
            return start == end ? nil : .text(Array(bytes[start..<end]), line: line)
        }
    }

    /// How many spaces/tabs end `text` after its last newline, or `nil` if something else
    /// is there (or there is no newline and the text does not start the file).
    private static func blanksAfterLastNewline(_ text: [UInt8], atFileStart: Bool) -> Int? {
        var count = 0
        for byte in text.reversed() {
            if byte == UInt8(ascii: "\n") { return count }
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") else { return nil }
            count += 1
        }
        return atFileStart ? count : nil
    }

    /// How many bytes of blanks and the first newline start `text`, or `nil` if something
    /// else comes first (blanks up to the end of the file also count).
    private static func blanksThroughFirstNewline(_ text: [UInt8], atFileEnd: Bool) -> Int? {
        for (offset, byte) in text.enumerated() {
            if byte == UInt8(ascii: "\n") { return offset + 1 }
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { return nil }
        }
        return atFileEnd ? text.count : nil
    }
}

extension String {
    /// The string without leading and trailing whitespace (Foundation-free).
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }

    /// The string without one pair of surrounding `"` or `'` quotes.
    func unquoted() -> String {
        guard count >= 2, let first, let last, first == last, first == "\"" || first == "'" else { return self }
        return String(dropFirst().dropLast())
    }
}
