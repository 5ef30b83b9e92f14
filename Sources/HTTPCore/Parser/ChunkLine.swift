/// The chunk-size line grammar (RFC 9112 §7.1 and §7.1.1).
enum ChunkLine {
    /// The size of a chunk-size line, checking (and ignoring) its extensions:
    /// `chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`.
    static func size(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, let digit = HTTPSyntax.hexValue(line[index]) {
            // A size that does not fit an Int is over any body limit.
            if size > (Int.max - digit) / 16 { throw .contentTooLarge }
            size = size * 16 + digit
            index += 1
        }
        guard index > 0 else { throw .badRequest("malformed chunk size") }
        try checkExtensions(UnsafeBufferPointer(rebasing: line[index...]))
        return size
    }

    /// Validates chunk extensions. Nothing uses them, but a malformed one means a peer that
    /// frames differently, so it is an error.
    ///
    /// Whitespace is BWS, allowed only where the grammar puts it: before and after `;` and
    /// `=`. So `5 ;a = b` is accepted (RFC 9110 §5.6.3: a recipient MUST parse BWS), while
    /// whitespace that leads to no `;` or `=` (`5 \r\n`, `5;a \r\n`) is not a chunk line and is
    /// a 400. llhttp (9.x, without its `lenient_spaces_after_chunk_size` flag) is stricter and
    /// refuses any whitespace in the line; where we differ it is llhttp refusing a line we read
    /// by the grammar, which cannot frame a body two ways.
    static func checkExtensions(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
        }
        func token() -> Bool {
            let start = index
            while index < bytes.count, HTTPSyntax.isTokenByte(bytes[index]) { index += 1 }
            return index > start
        }
        while index < bytes.count {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == HTTPSyntax.semicolon else {
                throw .badRequest("malformed chunk extension")
            }
            index += 1
            skipWhitespace()
            guard token() else { throw .badRequest("malformed chunk extension") }
            let afterName = index
            skipWhitespace()
            guard index < bytes.count, bytes[index] == HTTPSyntax.equals else {
                // Not a value: the whitespace must lead to the next `;`, checked on the next turn.
                index = afterName
                continue
            }
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == HTTPSyntax.quote {
                try skipQuotedString(bytes, &index)
            } else if !token() {
                throw .badRequest("malformed chunk extension")
            }
        }
    }

    /// Skips a `quoted-string` (RFC 9110 §5.6.4) starting at the opening quote.
    static func skipQuotedString(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(HTTPParseError) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == HTTPSyntax.quote {
                index += 1
                return
            }
            if byte == HTTPSyntax.backslash {
                index += 1
                guard index < bytes.count, HTTPSyntax.isFieldValueByte(bytes[index]) else { break }
            } else if !HTTPSyntax.isFieldValueByte(byte) {
                break
            }
            index += 1
        }
        throw .badRequest("malformed chunk extension")
    }
}
