/// Limits on what a server may send in one reply, so a hostile or broken server costs bounded
/// memory.
public struct SMTPReplyLimits: Sendable, Equatable {
    /// Longest reply line, CRLF included. RFC 5321 §4.5.3.1.5 sets 512; servers exceed it in
    /// practice with long EHLO greetings, hence the margin. Default 4096.
    public var maximumLineLength: Int
    /// Most lines in one multi-line reply. EHLO replies have about ten. Default 128.
    public var maximumLines: Int

    /// The defaults documented on each field.
    public init(maximumLineLength: Int = 4096, maximumLines: Int = 128) {
        self.maximumLineLength = maximumLineLength
        self.maximumLines = maximumLines
    }
}

/// Why bytes from the server are not an SMTP reply.
public enum SMTPReplyError: Error, Sendable, Equatable {
    /// A line that does not start with three digits and a space, hyphen or line end.
    case malformedLine
    /// A continuation line whose code differs from the first line's (RFC 5321 §4.2.1).
    case inconsistentCode
    case lineTooLong
    case tooManyLines
}

/// An incremental parser for SMTP replies: feed it bytes as they arrive from the socket, take
/// replies out as they complete.
///
/// RFC 5321 §4.2: each line is `code SP text CRLF` (last line) or `code - text CRLF`
/// (continuation). A bare LF is accepted as a line end too: being lenient in what we read
/// costs nothing here, since replies only steer our own state.
public struct SMTPReplyParser: Sendable {
    /// Bounds on line length and line count.
    public let limits: SMTPReplyLimits
    private var buffer: [UInt8] = []
    private var scanned = 0
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// An empty parser.
    public init(limits: SMTPReplyLimits = SMTPReplyLimits()) {
        self.limits = limits
    }

    /// Appends bytes read from the connection.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Whether bytes are buffered that are not yet part of a returned reply.
    public var hasBufferedBytes: Bool { !buffer.isEmpty || pendingCode != nil }

    /// The next complete reply, or nil when more bytes are needed.
    public mutating func next() throws(SMTPReplyError) -> SMTPReply? {
        while true {
            guard let newline = buffer[scanned...].firstIndex(of: 0x0A) else {
                scanned = buffer.count
                if buffer.count > limits.maximumLineLength { throw .lineTooLong }
                return nil
            }
            guard newline + 1 <= limits.maximumLineLength else { throw .lineTooLong }
            var end = newline
            if end > 0 && buffer[end - 1] == 0x0D { end -= 1 }
            let line = Array(buffer[..<end])
            buffer.removeSubrange(...newline)
            scanned = 0
            if let reply = try take(line) { return reply }
        }
    }

    private mutating func take(_ line: [UInt8]) throws(SMTPReplyError) -> SMTPReply? {
        guard line.count >= 3, line[0] >= 0x32, line[0] <= 0x35,
              line[1] >= 0x30, line[1] <= 0x39, line[2] >= 0x30, line[2] <= 0x39 else {
            throw .malformedLine
        }
        let code = Int(line[0] - 0x30) * 100 + Int(line[1] - 0x30) * 10 + Int(line[2] - 0x30)
        let isLast: Bool
        if line.count == 3 {
            isLast = true
        } else if line[3] == 0x20 {
            isLast = true
        } else if line[3] == 0x2D {
            isLast = false
        } else {
            throw .malformedLine
        }
        if let pending = pendingCode, pending != code { throw .inconsistentCode }
        guard pendingLines.count < limits.maximumLines else { throw .tooManyLines }
        pendingCode = code
        pendingLines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
        guard isLast else { return nil }
        let reply = SMTPReply(code: code, lines: pendingLines)
        pendingCode = nil
        pendingLines = []
        return reply
    }
}
