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
