/// Reads one message body field by field; every read checks the bytes are there, so a
/// truncated or lying message is an error and never an out-of-bounds trap.
struct PostgresMessageReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - index }

    mutating func uint8() throws(PostgresProtocolError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func int16() throws(PostgresProtocolError) -> Int16 {
        guard remaining >= 2 else { throw .truncated }
        defer { index += 2 }
        return Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }

    mutating func int32() throws(PostgresProtocolError) -> Int32 {
        guard remaining >= 4 else { throw .truncated }
        defer { index += 4 }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[index + i]) }
        return Int32(bitPattern: v)
    }

    mutating func uint32() throws(PostgresProtocolError) -> UInt32 { UInt32(bitPattern: try int32()) }

    mutating func bytes(_ count: Int) throws(PostgresProtocolError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated }
        defer { index += count }
        return Array(bytes[index..<index + count])
    }

    mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }

    /// A NUL-terminated string, which must be UTF-8 (the client asks for `client_encoding=UTF8`).
    mutating func cString() throws(PostgresProtocolError) -> String {
        guard let end = bytes[index...].firstIndex(of: 0) else { throw .malformed("a string has no terminating NUL") }
        defer { index = end + 1 }
        guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
            throw .malformed("a string is not valid UTF-8")
        }
        return text
    }

    /// The body must be used up: trailing bytes mean the message is not what its type says.
    func finish() throws(PostgresProtocolError) {
        guard remaining == 0 else { throw .malformed("\(remaining) unexpected bytes at the end of a message") }
    }
}
