/// Packs bit fields into bytes the way DEFLATE wants them: least significant bit first
/// (RFC 1951 §3.1.1).
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends the low `width` bits of `value`, least significant first (extra bits, header
    /// fields).
    mutating func write(_ value: UInt32, width: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += width
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// Appends a Huffman code, most significant bit first (RFC 1951 §3.1.1: "Huffman codes
    /// are packed starting with the most-significant bit of the code").
    mutating func writeCode(_ code: UInt32, width: Int) {
        var reversed: UInt32 = 0
        for bit in 0..<width {
            reversed |= ((code >> UInt32(bit)) & 1) << UInt32(width - 1 - bit)
        }
        write(reversed, width: width)
    }

    /// Pads with zero bits to the next byte boundary.
    mutating func alignToByte() {
        if count > 0 { write(0, width: 8 - count) }
    }

    /// Appends whole bytes; the writer must be byte-aligned.
    mutating func append(contentsOf data: ArraySlice<UInt8>) {
        bytes.append(contentsOf: data)
    }
}
