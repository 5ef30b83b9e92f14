/// Appends PostgreSQL wire integers and strings (network byte order, NUL-terminated strings)
/// to a byte array: the frontend encoder's only primitive.
struct PostgresMessageWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int8(_ value: UInt8) { bytes.append(value) }

    mutating func int16(_ value: Int16) {
        let v = UInt16(bitPattern: value)
        bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xFF))
    }

    mutating func int32(_ value: Int32) {
        let v = UInt32(bitPattern: value)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }

    mutating func raw(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

    /// A C string; throws when `value` holds a NUL byte, which would end it early and let the
    /// rest be read as the next field (an injection, not a typo).
    mutating func cString(_ value: String, field: String) throws(PostgresError) {
        let utf8 = Array(value.utf8)
        guard !utf8.contains(0) else { throw .invalidArgument("\(field) contains a NUL byte") }
        bytes.append(contentsOf: utf8)
        bytes.append(0)
    }

    /// Overwrites the 4-byte length at `offset` with the count of bytes from there to the end.
    mutating func patchLength(at offset: Int) throws(PostgresError) {
        let length = bytes.count - offset
        guard length <= Int(Int32.max) else { throw .invalidArgument("message of \(length) bytes is too long") }
        let v = UInt32(length)
        for i in 0..<4 { bytes[offset + i] = UInt8((v >> UInt32(24 - 8 * i)) & 0xFF) }
    }
}
