extension HTTPRequestParser {
    /// Takes the next CRLF-terminated line, returning the range of its content (without CRLF)
    /// in `buffer`, or nil when the line is not complete yet.
    ///
    /// Limits are checked on incomplete lines too, so a peer cannot make us buffer without
    /// bound while we wait for a CRLF. The checks only grow with the bytes seen, so the same
    /// input gives the same error whether it arrives whole or in pieces.
    ///
    /// - Parameters:
    ///   - maxLength: longest content allowed; over it, `tooLong` is thrown.
    ///   - headBudget: bytes (CRLF included) the line may still add to the head, or nil.
    mutating func takeLine(
        maxLength: Int,
        tooLong: HTTPParseError,
        headBudget: Int?
    ) throws(HTTPParseError) -> Range<Int>? {
        let start = readIndex
        let searchFrom = max(scanIndex, start)
        let end = buffer.count
        let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
            var index = searchFrom
            while index < end {
                if bytes[index] == HTTPSyntax.lf { return index }
                index += 1
            }
            return nil
        }
        guard let newline else {
            scanIndex = end
            let pending = end - start
            let content = pending > 0 && buffer[end - 1] == HTTPSyntax.cr ? pending - 1 : pending
            if content > maxLength { throw tooLong }
            if let headBudget, pending > headBudget { throw .headerFieldsTooLarge }
            return nil
        }
        // RFC 9112 §2.2: a recipient MAY accept a bare LF as a line terminator. We do not:
        // an intermediary that disagrees would see different message boundaries.
        let hasCR = newline > start && buffer[newline - 1] == HTTPSyntax.cr
        let contentEnd = hasCR ? newline - 1 : newline
        // Same order as for an incomplete line (length, then head budget), so a split input
        // fails the same way as a whole one.
        if contentEnd - start > maxLength { throw tooLong }
        if let headBudget, newline + 1 - start > headBudget { throw .headerFieldsTooLarge }
        guard hasCR else { throw .badRequest("bare LF line ending") }
        readIndex = newline + 1
        scanIndex = readIndex
        return start..<contentEnd
    }

    /// Runs `body` over the bytes of `range` without copying them.
    func withBytes<T>(
        _ range: Range<Int>,
        _ body: (UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> T
    ) throws(HTTPParseError) -> T {
        let result: Result<T, HTTPParseError> = buffer.withUnsafeBufferPointer { all in
            do throws(HTTPParseError) {
                return .success(try body(UnsafeBufferPointer(rebasing: all[range])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
