extension HTTPRequestParser {
    /// Reads a chunk-size line (RFC 9112 §7.1): `chunk-size [ chunk-ext ] CRLF`.
    mutating func stepChunkSize() throws(HTTPParseError) -> HTTPParserEvent? {
        guard let line = try takeLine(
            maxLength: limits.maxChunkLineLength,
            tooLong: .badRequest("chunk-size line too long"),
            headBudget: nil
        ) else { return .needMore }
        let size = try withBytes(line) { bytes throws(HTTPParseError) in try ChunkLine.size(bytes) }
        if size == 0 {
            state = .trailers
            return nil
        }
        // The decoded body limit is checked before the chunk's data is read.
        if size > limits.maxBodyLength - current.body.count { throw .contentTooLarge }
        state = .chunkData(remaining: size)
        return nil
    }

    /// Copies a chunk's data into the body.
    mutating func stepChunkData(remaining: Int) -> HTTPParserEvent? {
        let available = buffer.count - readIndex
        guard available > 0 else { return .needMore }
        let taken = min(available, remaining)
        current.body.append(contentsOf: buffer[readIndex..<readIndex + taken])
        readIndex += taken
        scanIndex = readIndex
        state = taken == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
        return nil
    }

    /// Checks the CRLF that ends a chunk's data (RFC 9112 §7.1): anything else means the
    /// chunk-size lied, and the rest of the stream cannot be trusted.
    mutating func stepChunkDataEnd() throws(HTTPParseError) -> HTTPParserEvent? {
        let available = buffer.count - readIndex
        guard available > 0 else { return .needMore }
        guard buffer[readIndex] == HTTPSyntax.cr else { throw .badRequest("chunk data not followed by CRLF") }
        guard available > 1 else { return .needMore }
        guard buffer[readIndex + 1] == HTTPSyntax.lf else { throw .badRequest("chunk data not followed by CRLF") }
        readIndex += 2
        scanIndex = readIndex
        state = .chunkSize
        return nil
    }

    /// Reads one trailer field or the empty line that ends the message (RFC 9112 §7.1.2).
    /// Trailers follow the header field rules and count against the same limits.
    mutating func stepTrailer() throws(HTTPParseError) -> HTTPParserEvent? {
        guard let line = try takeLine(
            maxLength: limits.maxHeaderFieldLength,
            tooLong: .headerFieldsTooLarge,
            headBudget: limits.maxHeadLength - current.headBytes
        ) else { return .needMore }
        if line.isEmpty { return finishRequest() }
        current.headBytes += line.count + 2
        current.fieldCount += 1
        if current.fieldCount > limits.maxHeaderCount { throw .headerFieldsTooLarge }
        let field = try withBytes(line) { bytes throws(HTTPParseError) in try FieldLine.parse(bytes) }
        // RFC 9110 §6.5.1: trailers are kept apart from the header section, never merged, so
        // a framing field sent as a trailer changes nothing.
        current.trailers.add(field.name, field.value)
        return nil
    }
}

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
        while true {
            skipWhitespace()
            if index == bytes.count { return }
            guard bytes[index] == HTTPSyntax.semicolon else { throw .badRequest("malformed chunk extension") }
            index += 1
            skipWhitespace()
            guard token() else { throw .badRequest("malformed chunk extension") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == HTTPSyntax.equals else { continue }
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
