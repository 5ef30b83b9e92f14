/// Writes 8-bit grayscale or RGB images as PNG files (PNG specification, ISO/IEC 15948):
/// signature, `IHDR`, one `IDAT` holding the zlib stream of filtered scanlines, `IEND`.
///
/// ```swift
/// let png = try PNGEncoder.encode(width: 2, height: 1, pixels: [0, 255])  // black, white
/// ```
public enum PNGEncoder {
    /// Why pixels could not be encoded.
    public enum Failure: Error, Sendable, Equatable {
        /// Width or height below 1 or above 65,535 (a limit of ours, far above any captcha).
        case invalidSize(width: Int, height: Int)
        /// `pixels.count` is neither `width × height` (grayscale) nor three times that (RGB).
        case pixelCountMismatch(expected: [Int], actual: Int)
    }

    /// The 8 bytes every PNG file starts with (PNG §5.2).
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes `pixels`, row by row from the top: one byte per pixel for grayscale
    /// (`width × height` bytes) or three (R, G, B) for color (`3 × width × height`).
    public static func encode(
        width: Int, height: Int, pixels: [UInt8], compression: Deflate.Method = .fixedHuffman
    ) throws(Failure) -> [UInt8] {
        guard (1...65_535).contains(width), (1...65_535).contains(height) else {
            throw .invalidSize(width: width, height: height)
        }
        let area = width * height
        guard pixels.count == area || pixels.count == 3 * area else {
            throw .pixelCountMismatch(expected: [area, 3 * area], actual: pixels.count)
        }
        return encodeChecked(width: width, height: height, channels: pixels.count / area, pixels: pixels, compression: compression)
    }

    /// Encodes pixels whose size the caller has already checked.
    static func encodeChecked(
        width: Int, height: Int, channels: Int, pixels: [UInt8], compression: Deflate.Method
    ) -> [UInt8] {
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        // Bit depth 8; color type 0 (grayscale) or 2 (truecolor); compression 0, filter
        // method 0, no interlace (PNG §11.2.2).
        header += [8, channels == 3 ? 2 : 0, 0, 0, 0]
        let scanlines = PNGFilter.filter(pixels, width: width, height: height, bytesPerPixel: channels)
        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", Deflate.zlib(scanlines, method: compression), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// A chunk: length, type, data, CRC-32 of type and data (PNG §5.3).
    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        file += bigEndian(CRC32.checksum(data, continuing: CRC32.checksum(typeBytes)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
