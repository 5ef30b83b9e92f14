/// A small DEFLATE compressor (RFC 1951) in a zlib wrapper (RFC 1950): LZ77 matching with
/// hash chains, coded with the fixed Huffman tables, or stored blocks when asked.
///
/// Fixed codes keep the encoder short (no tree building) while still shrinking a captcha
/// several times over; a decoder needs nothing beyond the standard.
public enum Deflate {
    /// How the data is coded.
    public enum Method: Sendable, Equatable {
        /// Uncompressed blocks (RFC 1951 §3.2.4): bigger, trivially correct.
        case stored
        /// LZ77 plus the fixed Huffman codes (RFC 1951 §3.2.6).
        case fixedHuffman
    }

    /// `data` as a zlib stream: header, DEFLATE blocks, Adler-32 (RFC 1950 §2.2).
    public static func zlib(_ data: [UInt8], method: Method = .fixedHuffman) -> [UInt8] {
        // CMF 0x78: method 8 (deflate), 32 KiB window; FLG 0x9C: default level, and
        // (0x78 << 8 | 0x9C) is a multiple of 31 as FCHECK requires.
        var output: [UInt8] = [0x78, 0x9C]
        output += method == .stored ? stored(data) : fixedHuffman(data)
        let adler = Adler32.checksum(data)
        output += [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
        return output
    }

    /// Raw DEFLATE with stored blocks of at most 65,535 bytes each.
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var writer = DeflateBitWriter(capacity: data.count + data.count / 65_535 * 5 + 5)
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            writer.write(end == data.count ? 1 : 0, width: 1)  // BFINAL
            writer.write(0, width: 2)  // BTYPE 00: stored
            writer.alignToByte()
            let length = UInt32(end - start)
            writer.write(length, width: 16)
            writer.write(~length & 0xFFFF, width: 16)
            writer.append(contentsOf: data[start..<end])
            start = end
        } while start < data.count
        return writer.bytes
    }

    /// Raw DEFLATE: one final block with fixed Huffman codes.
    static func fixedHuffman(_ data: [UInt8]) -> [UInt8] {
        var writer = DeflateBitWriter(capacity: data.count / 2 + 16)
        writer.write(1, width: 1)  // BFINAL
        writer.write(1, width: 2)  // BTYPE 01: fixed Huffman
        var matcher = LZ77Matcher(data)
        var position = 0
        while position < data.count {
            if let match = matcher.longestMatch(at: position) {
                writeLength(match.length, to: &writer)
                writeDistance(match.distance, to: &writer)
                for skipped in position..<(position + match.length) { matcher.insert(skipped) }
                position += match.length
            } else {
                writeLiteral(UInt32(data[position]), to: &writer)
                matcher.insert(position)
                position += 1
            }
        }
        writeLiteral(256, to: &writer)  // end of block
        writer.alignToByte()
        return writer.bytes
    }

    /// RFC 1951 §3.2.6: the fixed literal/length code lengths 8, 9, 7, 8 by range.
    private static func writeLiteral(_ symbol: UInt32, to writer: inout DeflateBitWriter) {
        switch symbol {
        case 0...143: writer.writeCode(0x30 + symbol, width: 8)
        case 144...255: writer.writeCode(0x190 + symbol - 144, width: 9)
        case 256...279: writer.writeCode(symbol - 256, width: 7)
        default: writer.writeCode(0xC0 + symbol - 280, width: 8)
        }
    }

    /// RFC 1951 §3.2.5: length codes 257…285 with their extra bits.
    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                            67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                             4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                              513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
                                               9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private static func writeLength(_ length: Int, to writer: inout DeflateBitWriter) {
        let code = (lengthBase.lastIndex { $0 <= length }) ?? 0
        writeLiteral(UInt32(257 + code), to: &writer)
        writer.write(UInt32(length - lengthBase[code]), width: lengthExtra[code])
    }

    private static func writeDistance(_ distance: Int, to writer: inout DeflateBitWriter) {
        let code = (distanceBase.lastIndex { $0 <= distance }) ?? 0
        writer.writeCode(UInt32(code), width: 5)  // fixed distance codes are 5 bits
        writer.write(UInt32(distance - distanceBase[code]), width: distanceExtra[code])
    }
}
