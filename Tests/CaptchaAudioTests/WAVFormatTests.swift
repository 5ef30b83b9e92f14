import CaptchaAudio
import Testing

@Suite("WAV files: RIFF WAVE, mono 16-bit PCM")
struct WAVFormatTests {
    @Test("an encoded track has the 44-byte RIFF/PCM header and decodes to the same samples")
    func roundTrip() throws {
        let audio = PCMAudio(sampleRate: 22050, samples: [0, 1, -1, .max, .min, 1234])
        let bytes = WAVFormat.encode(audio)
        #expect(bytes.count == 44 + 12)
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
        #expect(Array(bytes[8..<16]) == Array("WAVEfmt ".utf8))
        #expect(Array(bytes[20..<24]) == [1, 0, 1, 0], "PCM, one channel")
        #expect(Array(bytes[24..<28]) == [0x22, 0x56, 0, 0], "22050 Hz, little-endian")
        #expect(Array(bytes[34..<40]) == [16, 0] + Array("data".utf8))
        #expect(try WAVFormat.decode(bytes) == audio)
    }

    @Test("unknown chunks before the data (espeak-ng's layout or a LIST) are skipped, odd sizes padded")
    func skipsChunks() throws {
        let plain = WAVFormat.encode(PCMAudio(sampleRate: 8000, samples: [5, -5]))
        let list: [UInt8] = Array("LIST".utf8) + [3, 0, 0, 0] + [1, 2, 3, 0]
        let withList = Array(plain[0..<36]) + list + Array(plain[36...])
        #expect(try WAVFormat.decode(withList).samples == [5, -5])
    }

    @Test("what is not mono 16-bit PCM WAV is refused with the reason, never a crash")
    func refusals() {
        let good = WAVFormat.encode(PCMAudio(sampleRate: 8000, samples: [1, 2, 3]))
        #expect(throws: WAVError.notRIFFWave) { try WAVFormat.decode(Array("RIFX".utf8) + Array(good[4...])) }
        #expect(throws: WAVError.notRIFFWave) { try WAVFormat.decode([]) }
        var stereo = good
        stereo[22] = 2
        #expect(throws: WAVError.unsupportedFormat(format: 1, channels: 2, bitsPerSample: 16)) { try WAVFormat.decode(stereo) }
        // Every truncation: a clear error or the samples that survived, never a trap.
        for cut in 0..<good.count {
            let prefix = Array(good[..<cut])
            #expect(throws: WAVError.self) { try WAVFormat.decode(prefix) }
        }
        #expect(throws: WAVError.missingChunk("data")) { try WAVFormat.decode(Array(good[0..<36])) }
    }
}
