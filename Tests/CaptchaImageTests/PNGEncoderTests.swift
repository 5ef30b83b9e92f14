import Foundation
import Testing
import TestSupport
@testable import CaptchaImage

@Suite("PNG encoder")
struct PNGEncoderTests {
    @Test("CRC-32 matches published check values")
    func crc32Vectors() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)  // the CRC catalogue's check value
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)  // the CRC every PNG ends with
        let whole = Array("hello, world".utf8)
        #expect(CRC32.checksum(whole.suffix(5), continuing: CRC32.checksum(whole.prefix(7))) == CRC32.checksum(whole))
    }

    @Test("Adler-32 matches published values, across its modulo blocks")
    func adler32Vectors() {
        #expect(Adler32.checksum([]) == 1)
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Adler32.checksum(Array("123456789".utf8)) == 0x091E_01DE)
        // 100,000 bytes of 0xFF cross many 5552-byte blocks; value from zlib.adler32.
        #expect(Adler32.checksum([UInt8](repeating: 0xFF, count: 100_000)) == 0x149A_302C)
    }

    @Test("Paeth predictor follows the specification's tie order")
    func paeth() {
        #expect(PNGFilter.paeth(10, 20, 10) == 20)
        #expect(PNGFilter.paeth(20, 10, 10) == 20)
        #expect(PNGFilter.paeth(10, 10, 10) == 10)
        #expect(PNGFilter.paeth(0, 255, 128) == 128)
    }

    @Test("our own reading of the file: signature, chunk lengths, CRCs, IHDR, chunk order")
    func structure() throws {
        let pixels = (0..<(7 * 3)).map { UInt8($0 * 12) }
        let png = try PNGEncoder.encode(width: 7, height: 3, pixels: pixels)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var position = 8
        var kinds: [String] = []
        while position + 12 <= png.count {
            let length = Int(png[position]) << 24 | Int(png[position + 1]) << 16 | Int(png[position + 2]) << 8 | Int(png[position + 3])
            let kind = Array(png[(position + 4)..<(position + 8)])
            let body = Array(png[(position + 8)..<(position + 8 + length)])
            let stored = png[(position + 8 + length)..<(position + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(stored == CRC32.checksum(kind + body))
            kinds.append(String(decoding: kind, as: UTF8.self))
            if kinds.count == 1 { #expect(body == [0, 0, 0, 7, 0, 0, 0, 3, 8, 0, 0, 0, 0]) }
            position += 12 + length
        }
        #expect(position == png.count)
        #expect(kinds == ["IHDR", "IDAT", "IEND"])
    }

    @Test("bad sizes are typed errors")
    func badInput() {
        #expect(throws: PNGEncoder.Failure.invalidSize(width: 0, height: 1)) { try PNGEncoder.encode(width: 0, height: 1, pixels: []) }
        #expect(throws: PNGEncoder.Failure.invalidSize(width: 70_000, height: 1)) {
            try PNGEncoder.encode(width: 70_000, height: 1, pixels: [])
        }
        #expect(throws: PNGEncoder.Failure.pixelCountMismatch(expected: [4, 12], actual: 5)) {
            try PNGEncoder.encode(width: 2, height: 2, pixels: [1, 2, 3, 4, 5])
        }
    }

    @Test("Python's zlib inflates our stored and fixed-Huffman streams back to the input")
    func deflateAgainstZlib() throws {
        var random = SeededRandom(seed: 5)
        let noise = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = Array(String(repeating: "Restablecer contraseña, Cajacopi. ", count: 2_000).utf8)
        let cases: [[UInt8]] = [
            [], [42], [1, 2], Array("abcabcabcabc".utf8),
            [UInt8](repeating: 7, count: 1_000),  // runs: matches of the maximum 258
            text, noise,
            Array(noise.prefix(40_000) + noise.prefix(40_000)),  // a copy beyond the 32 KiB window
            Array(noise.prefix(70_000)),  // more than one stored block
        ]
        let directory = try TemporaryDirectory(prefix: "clave-deflate")
        var arguments: [String] = []
        for (index, data) in cases.enumerated() {
            for method in [Deflate.Method.stored, .fixedHuffman] {
                let raw = directory.path("\(index)-\(method).raw"), packed = directory.path("\(index)-\(method).z")
                try Data(data).write(to: URL(fileURLWithPath: raw))
                try Data(Deflate.zlib(data, method: method)).write(to: URL(fileURLWithPath: packed))
                arguments += [raw, packed]
            }
        }
        let result = try PythonCheck.run(PythonCheck.inflate, arguments)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("inflated \(cases.count * 2)"))
        #expect(Deflate.zlib(text).count < text.count / 10, "repetitive text should shrink")
    }

    @Test("Python decodes our PNGs, grayscale and RGB, every filter in play, to the exact pixels",
          arguments: [(1, 1, 1), (13, 5, 1), (64, 40, 1), (9, 7, 3), (200, 70, 1)])
    func pngAgainstPython(width: Int, height: Int, channels: Int) throws {
        var random = SeededRandom(seed: UInt64(width * 1000 + height))
        // Gradients, flat areas and noise, so every filter type wins somewhere.
        let pixels = (0..<(width * height * channels)).map { index -> UInt8 in
            let x = index / channels % width, y = index / channels / width
            switch (y / 2) % 3 {
            case 0: return UInt8((x * 5 + y * 3) & 0xFF)
            case 1: return 200
            default: return UInt8.random(in: 0...255, using: &random)
            }
        }
        let directory = try TemporaryDirectory(prefix: "clave-png")
        for compression in [Deflate.Method.stored, .fixedHuffman] {
            let png = try PNGEncoder.encode(width: width, height: height, pixels: pixels, compression: compression)
            try Data(png).write(to: URL(fileURLWithPath: directory.path("image.png")))
            try Data(pixels).write(to: URL(fileURLWithPath: directory.path("image.pixels")))
            let result = try PythonCheck.run(PythonCheck.png, [directory.path("image.png"), directory.path("image.pixels"),
                                                                "\(width)", "\(height)", "\(channels)"])
            #expect(result.status == 0 && result.output.hasPrefix("png ok"), "\(compression): \(result.output)")
        }
    }

    @Test("a rendered captcha is a valid PNG a decoder reads back pixel for pixel, and small")
    func captchaDecodes() throws {
        var random = SeededRandom(seed: 21)
        var again = random
        let renderer = CaptchaRenderer()
        let png = try renderer.render(text: "ReTa49mH", random: &random)
        let pixels = try renderer.renderPixels(text: "ReTa49mH", random: &again)
        #expect(png.count < 20_000, "captcha PNG is \(png.count) bytes")
        let directory = try TemporaryDirectory(prefix: "clave-captcha")
        try Data(png).write(to: URL(fileURLWithPath: directory.path("c.png")))
        try Data(pixels).write(to: URL(fileURLWithPath: directory.path("c.pixels")))
        let result = try PythonCheck.run(PythonCheck.png, [directory.path("c.png"), directory.path("c.pixels"), "200", "70", "1"])
        #expect(result.status == 0, "\(result.output)")
    }
}
