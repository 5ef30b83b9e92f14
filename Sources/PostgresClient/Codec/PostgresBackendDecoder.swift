/// Turns the bytes a server sends into ``PostgresBackendMessage``s, however the socket split
/// them: feed what arrived, then call ``next()`` until it returns nil (a message is not complete
/// yet). A framing or field error is thrown and stays: every later ``next()`` throws it again,
/// since nothing after a bad frame can be trusted.
///
/// Pure: no I/O, no clock. Tested from every split point and fuzzed (`Fuzz/PostgresMessages`).
///
/// ```swift
/// var decoder = PostgresBackendDecoder()
/// decoder.feed(bytesFromSocket)
/// while let message = try decoder.next() { handle(message) }
/// ```
public struct PostgresBackendDecoder: Sendable {
    public let limits: PostgresMessageLimits
    private var buffer: [UInt8] = []
    private var start = 0
    private var failure: PostgresProtocolError?

    public init(limits: PostgresMessageLimits = .default) {
        self.limits = limits
    }

    /// Bytes received and not yet decoded into a message.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Appends bytes read from the connection.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        // Drop consumed bytes before growing, so the buffer holds about one message.
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() throws(PostgresProtocolError) -> PostgresBackendMessage? {
        if let failure { throw failure }
        guard buffer.count - start >= 5 else { return nil }
        let type = buffer[start]
        var length = 0
        for i in 1...4 { length = length << 8 | Int(buffer[start + i]) }
        guard length >= 4, length - 4 <= limits.maximumMessageLength else { return try fail(.badLength(length)) }
        guard buffer.count - start >= 1 + length else { return nil }
        let body = buffer[(start + 5)..<(start + 1 + length)]
        do {
            let message = try decode(type: type, body: body)
            start += 1 + length
            return message
        } catch {
            return try fail(error)
        }
    }

    private mutating func fail(_ error: PostgresProtocolError) throws(PostgresProtocolError) -> PostgresBackendMessage? {
        failure = error
        throw error
    }

    private func decode(type: UInt8, body: ArraySlice<UInt8>) throws(PostgresProtocolError) -> PostgresBackendMessage {
        var reader = PostgresMessageReader(body)
        let message: PostgresBackendMessage
        switch type {
        case UInt8(ascii: "R"): message = .authentication(try authentication(&reader))
        case UInt8(ascii: "K"): message = .backendKeyData(processID: try reader.int32(), secretKey: try reader.int32())
        case UInt8(ascii: "2"): message = .bindComplete
        case UInt8(ascii: "3"): message = .closeComplete
        case UInt8(ascii: "C"): message = .commandComplete(try reader.cString())
        case UInt8(ascii: "D"): message = .dataRow(try dataRow(&reader))
        case UInt8(ascii: "I"): message = .emptyQueryResponse
        case UInt8(ascii: "E"): message = .error(try fields(&reader))
        case UInt8(ascii: "N"): message = .notice(try fields(&reader))
        case UInt8(ascii: "n"): message = .noData
        case UInt8(ascii: "A"):
            message = .notification(PostgresNotification(processID: try reader.int32(), channel: try reader.cString(),
                                                         payload: try reader.cString()))
        case UInt8(ascii: "t"):
            let count = try columnCount(&reader)
            var types: [UInt32] = []
            for _ in 0..<count { types.append(try reader.uint32()) }
            message = .parameterDescription(types)
        case UInt8(ascii: "S"): message = .parameterStatus(name: try reader.cString(), value: try reader.cString())
        case UInt8(ascii: "1"): message = .parseComplete
        case UInt8(ascii: "s"): message = .portalSuspended
        case UInt8(ascii: "Z"):
            guard let status = PostgresTransactionStatus(rawValue: try reader.uint8()) else {
                throw .malformed("ReadyForQuery has an unknown transaction status")
            }
            message = .readyForQuery(status)
        case UInt8(ascii: "T"): message = .rowDescription(try rowDescription(&reader))
        case UInt8(ascii: "G"), UInt8(ascii: "H"), UInt8(ascii: "W"):
            _ = reader.rest()
            message = .copyResponse(type)
        case UInt8(ascii: "v"):
            let minor = try reader.int32()
            let count = try reader.int32()
            guard count >= 0, Int(count) <= limits.maximumErrorFields else { throw .tooLarge("too many protocol options") }
            var options: [String] = []
            for _ in 0..<count { options.append(try reader.cString()) }
            message = .negotiateProtocolVersion(newestMinor: minor, unrecognized: options)
        default:
            throw .unknownMessageType(type)
        }
        try reader.finish()
        return message
    }

    private func authentication(_ reader: inout PostgresMessageReader) throws(PostgresProtocolError) -> PostgresBackendMessage.Authentication {
        switch try reader.int32() {
        case 0: return .ok
        case 2: return .kerberosV5
        case 3: return .cleartextPassword
        case 5: return .md5Password(salt: try reader.bytes(4))
        case 7: return .gss
        case 8: return .gssContinue(reader.rest())
        case 9: return .sspi
        case 10:
            var mechanisms: [String] = []
            while true {
                let name = try reader.cString()
                if name.isEmpty { break }
                guard mechanisms.count < limits.maximumErrorFields else { throw .tooLarge("too many SASL mechanisms") }
                mechanisms.append(name)
            }
            return .sasl(mechanisms: mechanisms)
        case 11: return .saslContinue(reader.rest())
        case 12: return .saslFinal(reader.rest())
        case let code: throw .malformed("unknown authentication request \(code)")
        }
    }

    private func columnCount(_ reader: inout PostgresMessageReader) throws(PostgresProtocolError) -> Int {
        let count = Int(try reader.int16())
        guard count >= 0 else { throw .malformed("a negative column count") }
        guard count <= limits.maximumColumns else { throw .tooLarge("\(count) columns is more than \(limits.maximumColumns)") }
        return count
    }

    private func dataRow(_ reader: inout PostgresMessageReader) throws(PostgresProtocolError) -> [[UInt8]?] {
        let count = try columnCount(&reader)
        var values: [[UInt8]?] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            let length = try reader.int32()
            if length == -1 { values.append(nil); continue }
            guard length >= 0 else { throw .malformed("a value length of \(length)") }
            values.append(try reader.bytes(Int(length)))
        }
        return values
    }

    private func rowDescription(_ reader: inout PostgresMessageReader) throws(PostgresProtocolError) -> [PostgresColumn] {
        let count = try columnCount(&reader)
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.cString()
            let table = try reader.uint32()
            let number = try reader.int16()
            let type = try reader.uint32()
            let size = try reader.int16()
            let modifier = try reader.int32()
            guard let format = PostgresFormat(rawValue: try reader.int16()) else { throw .malformed("an unknown column format") }
            columns.append(PostgresColumn(name: name, tableOID: table, columnNumber: number, typeOID: type,
                                          typeSize: size, typeModifier: modifier, format: format))
        }
        return columns
    }

    private func fields(_ reader: inout PostgresMessageReader) throws(PostgresProtocolError) -> PostgresServerError {
        var fields: [UInt8: String] = [:]
        while true {
            let code = try reader.uint8()
            if code == 0 { break }
            guard fields.count < limits.maximumErrorFields else { throw .tooLarge("too many error fields") }
            fields[code] = try reader.cString()
        }
        return PostgresServerError(fields: fields)
    }
}
