import Testing
@testable import CaptchaImage

@Suite("Deflate pieces")
struct DeflateTests {
    @Test("bit fields go least significant bit first, Huffman codes most significant first")
    func bitOrder() {
        var writer = DeflateBitWriter(capacity: 4)
        writer.write(1, width: 1)  // BFINAL
        writer.write(1, width: 2)  // BTYPE 01
        writer.alignToByte()
        #expect(writer.bytes == [0b0000_0011])

        var codes = DeflateBitWriter(capacity: 4)
        codes.writeCode(0b0011_0000, width: 8)  // fixed code of literal 0
        codes.writeCode(0b1, width: 3)  // 001 -> bits 1,0,0 reversed into the stream
        codes.alignToByte()
        #expect(codes.bytes == [0b0000_1100, 0b0000_0100])
    }

    @Test("the fixed-Huffman stream of a known input is byte-for-byte what zlib's format gives")
    func knownStream() {
        // "a" with fixed codes: header 011, literal 'a' (0x61 -> 8-bit code 0x91), end of block
        // (7 zero bits); checked by hand against RFC 1951 §3.2.6 and by Python's zlib.
        #expect(Deflate.fixedHuffman(Array("a".utf8)) == [0x4B, 0x04, 0x00])
        #expect(Deflate.zlib(Array("a".utf8)) == [0x78, 0x9C, 0x4B, 0x04, 0x00, 0x00, 0x62, 0x00, 0x62])
        #expect(Deflate.stored([]) == [0x01, 0x00, 0x00, 0xFF, 0xFF])
    }

    @Test("LZ77 finds the longest earlier copy, including overlapping runs")
    func matcher() throws {
        let data = Array("abcabcabcX".utf8)
        var matcher = LZ77Matcher(data)
        for position in 0..<3 { matcher.insert(position) }
        let match = try #require(matcher.longestMatch(at: 3))
        #expect(match.length == 6 && match.distance == 3)  // overlapping copy, RFC 1951 §3.2.3
        #expect(matcher.longestMatch(at: 0) == nil)
        let run = [UInt8](repeating: 9, count: 600)
        var runs = LZ77Matcher(run)
        runs.insert(0)
        #expect(runs.longestMatch(at: 1)?.length == 258)
    }
}
