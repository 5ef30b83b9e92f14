/// Why bytes are not a WAV file this module reads.
public enum WAVError: Error, Sendable, Equatable {
    /// Not `RIFF … WAVE`, or shorter than its header says.
    case notRIFFWave
    /// No `fmt ` chunk before the `data` chunk, or no `data` chunk.
    case missingChunk(String)
    /// A format other than PCM, mono, 16 bits (the values found).
    case unsupportedFormat(format: Int, channels: Int, bitsPerSample: Int)
}

/// Reading and writing RIFF WAVE files of ``PCMAudio`` (little-endian throughout).
///
/// The layout (Microsoft's RIFF WAVE, as every decoder reads it): `RIFF` size `WAVE`, then chunks
/// of a four-letter id, a 32-bit size and the body padded to an even length; `fmt ` gives the
/// format (1 = PCM), channels, sample rate, byte rate, block align and bits per sample, and
/// `data` the samples. Unknown chunks (`LIST`, …) are skipped.
public enum WAVFormat {
    /// The 44-byte header and the samples of `audio`.
    public static func encode(_ audio: PCMAudio) -> [UInt8] {
        let dataBytes = audio.samples.count * 2
        var bytes: [UInt8] = []
        bytes.reserveCapacity(44 + dataBytes)
        bytes += Array("RIFF".utf8); append32(UInt32(36 + dataBytes), to: &bytes); bytes += Array("WAVE".utf8)
        bytes += Array("fmt ".utf8); append32(16, to: &bytes)
        append16(1, to: &bytes)                                   // PCM
        append16(1, to: &bytes)                                   // mono
        append32(UInt32(audio.sampleRate), to: &bytes)
        append32(UInt32(audio.sampleRate * 2), to: &bytes)        // byte rate
        append16(2, to: &bytes)                                   // block align
        append16(16, to: &bytes)                                  // bits per sample
        bytes += Array("data".utf8); append32(UInt32(dataBytes), to: &bytes)
        for sample in audio.samples { append16(UInt16(bitPattern: sample), to: &bytes) }
        return bytes
    }

    /// The audio in `bytes`, or the reason it is not a mono 16-bit PCM WAV file.
    public static func decode(_ bytes: [UInt8]) throws(WAVError) -> PCMAudio {
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("RIFF".utf8), Array(bytes[8..<12]) == Array("WAVE".utf8) else {
            throw .notRIFFWave
        }
        var offset = 12
        var format: (rate: Int, format: Int, channels: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(read32(bytes, offset + 4))
            let body = offset + 8
            // A chunk claiming more than the file holds: the file is cut short.
            guard size <= bytes.count - body else { throw .notRIFFWave }
            if id == "fmt " {
                guard size >= 16 else { throw .missingChunk("fmt ") }
                format = (Int(read32(bytes, body + 4)), Int(read16(bytes, body)), Int(read16(bytes, body + 2)),
                          Int(read16(bytes, body + 14)))
            } else if id == "data" {
                guard let format else { throw .missingChunk("fmt ") }
                guard format.format == 1, format.channels == 1, format.bits == 16, format.rate > 0 else {
                    throw .unsupportedFormat(format: format.format, channels: format.channels, bitsPerSample: format.bits)
                }
                let samples = (0..<size / 2).map { Int16(bitPattern: read16(bytes, body + 2 * $0)) }
                return PCMAudio(sampleRate: format.rate, samples: samples)
            }
            offset = body + size + size % 2
        }
        throw .missingChunk("data")
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8(value >> 8))
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    private static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << UInt32(8 * $1) }
    }
}
