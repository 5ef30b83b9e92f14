extension HTTPRequestParser {
    /// Reads the request line, skipping a few empty lines before it (RFC 9112 §2.2).
    mutating func stepRequestLine() throws(HTTPParseError) -> HTTPParserEvent? {
        guard let line = try takeLine(
            maxLength: limits.maxRequestLineLength, tooLong: .uriTooLong, headBudget: nil
        ) else { return .needMore }
        if line.isEmpty {
            current.emptyLines += 1
            if current.emptyLines > Self.maxLeadingEmptyLines {
                throw .badRequest("too many empty lines before the request line")
            }
            return nil
        }
        current.headBytes = line.count + 2
        if current.headBytes > limits.maxHeadLength { throw .headerFieldsTooLarge }
        let (method, target, version) = try withBytes(line) { bytes throws(HTTPParseError) in
            try RequestLine.parse(bytes)
        }
        current.method = method
        current.target = target.originForm
        current.authority = target.authority
        current.version = version
        state = .fields
        return nil
    }

    /// Reads one header field, or the empty line that ends the head.
    mutating func stepField() throws(HTTPParseError) -> HTTPParserEvent? {
        guard let line = try takeLine(
            maxLength: limits.maxHeaderFieldLength,
            tooLong: .headerFieldsTooLarge,
            headBudget: limits.maxHeadLength - current.headBytes
        ) else { return .needMore }
        if line.isEmpty {
            current.headBytes += 2
            return try finishHead()
        }
        current.headBytes += line.count + 2
        current.fieldCount += 1
        if current.fieldCount > limits.maxHeaderCount { throw .headerFieldsTooLarge }
        let field = try withBytes(line) { bytes throws(HTTPParseError) in try FieldLine.parse(bytes) }
        try record(field)
        // RFC 9112 §3.2.2: with an absolute-form target, Host is ignored for the authority
        // (see `RequestInProgress.authority`); substituted here so the field keeps its place.
        let value = field.kind == .host ? current.authority ?? field.value : field.value
        current.headers.add(field.name, value)
        return nil
    }

    /// Notes the fields that decide framing as they arrive.
    mutating func record(_ field: FieldLine) throws(HTTPParseError) {
        switch field.kind {
        case .host:
            current.hostCount += 1
        case .contentLength(let length):
            // RFC 9112 §6.3 ¶5: repeated or listed values must all be the same.
            if let known = current.contentLength, known != length {
                throw .badRequest("conflicting Content-Length")
            }
            current.contentLength = length
        case .transferEncoding(let codings):
            current.hasTransferEncoding = true
            current.transferEncodings.append(contentsOf: codings)
        case .expect(let isContinue):
            // RFC 9110 §10.1.1: only 100-continue is defined. Other expectations are ignored
            // rather than answered 417: the request is served as if they were absent.
            if isContinue { current.expectsContinue = true }
        case .other:
            break
        }
    }

    /// The head is complete: decide the framing and answer `.head` or `.request`.
    mutating func finishHead() throws(HTTPParseError) -> HTTPParserEvent? {
        let framing = try current.framing(limits: limits)
        switch framing {
        case .none:
            return finishRequest()
        case .length(let length):
            current.body.reserveCapacity(min(length, 64 * 1024))
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
        // RFC 9110 §10.1.1: a server ignores 100-continue from an HTTP/1.0 client, and need
        // not send 100 once some of the body has arrived.
        let expectsContinue = current.expectsContinue && current.version == .http1_1
            && readIndex == buffer.count
        return .head(current.head, expectsContinue: expectsContinue)
    }

    /// Reads a Content-Length delimited body.
    mutating func stepFixedBody(remaining: Int) -> HTTPParserEvent? {
        let available = buffer.count - readIndex
        guard available > 0 else { return .needMore }
        let taken = min(available, remaining)
        current.body.append(contentsOf: buffer[readIndex..<readIndex + taken])
        readIndex += taken
        scanIndex = readIndex
        if taken == remaining { return finishRequest() }
        state = .fixedBody(remaining: remaining - taken)
        return .needMore
    }
}
