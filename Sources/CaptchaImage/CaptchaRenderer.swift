import Foundation

/// Draws captcha text as a PNG: each letter from ``CaptchaFont`` tilted, scaled and shifted at
/// random, a sine warp over the whole image, noise lines crossing the text, speckles, on a
/// light, slightly uneven background.
///
/// The renderer is a value with no state: the randomness comes from the caller, so the web
/// layer passes a CSPRNG-backed generator and tests pass a seeded one.
///
/// ```swift
/// let renderer = CaptchaRenderer()
/// var random = SystemRandomNumberGenerator()
/// let answer = CaptchaRenderer.randomText(using: &random)
/// let png = try renderer.render(text: answer, random: &random)
/// ```
public struct CaptchaRenderer: Sendable {
    /// Why a text cannot be drawn.
    public enum Failure: Error, Sendable, Equatable {
        /// The text holds a character the font has no glyph for.
        case unsupportedCharacter(Character)
        /// The text is empty or longer than ``maxLength``.
        case invalidLength(Int)
    }

    /// The longest text drawn; captchas use 6 to 8.
    public static let maxLength = 16

    /// How images look.
    public let style: CaptchaStyle

    /// A renderer for `style`; out-of-range style values are clamped (see ``CaptchaStyle``).
    public init(style: CaptchaStyle = CaptchaStyle()) {
        self.style = style.clamped
    }

    /// A random captcha answer: `length` characters (a random count in the range) from
    /// `alphabet`. Default 6 to 8 from ``CaptchaAlphabet/standard``.
    public static func randomText(
        length: ClosedRange<Int> = 6...8, alphabet: CaptchaAlphabet = .standard,
        using random: inout some RandomNumberGenerator
    ) -> String {
        let bounded = max(1, length.lowerBound)...max(1, length.upperBound)
        return alphabet.randomText(length: Int.random(in: bounded, using: &random), using: &random)
    }

    /// `text` drawn and encoded as a grayscale PNG of ``CaptchaStyle/width`` × ``CaptchaStyle/height``.
    public func render(text: String, random: inout some RandomNumberGenerator) throws(Failure) -> [UInt8] {
        let pixels = try renderPixels(text: text, random: &random)
        return PNGEncoder.encodeChecked(width: style.width, height: style.height, channels: 1, pixels: pixels, compression: .fixedHuffman)
    }

    /// `text` drawn as grayscale pixels, row by row (0 black, 255 white).
    public func renderPixels(text: String, random: inout some RandomNumberGenerator) throws(Failure) -> [UInt8] {
        guard (1...Self.maxLength).contains(text.count) else { throw .invalidLength(text.count) }
        var glyphs: [CaptchaFont.Glyph] = []
        for character in text {
            guard let glyph = CaptchaFont.glyph(for: character) else { throw .unsupportedCharacter(character) }
            glyphs.append(glyph)
        }
        var ink = InkLayer(width: style.width, height: style.height)
        var shade = [Double](repeating: 0, count: glyphs.count)
        let spans = drawLetters(glyphs, into: &ink, shades: &shade, random: &random)
        drawNoiseLines(into: &ink, random: &random)
        let warped = warp(ink, random: &random)
        return compose(warped, spans: spans, shades: shade, random: &random)
    }

    /// Lays the letters out centred, each with its own tilt, size and shift. Returns each
    /// letter's horizontal span, so shading can vary per letter.
    private func drawLetters(
        _ glyphs: [CaptchaFont.Glyph], into ink: inout InkLayer, shades: inout [Double],
        random: inout some RandomNumberGenerator
    ) -> [ClosedRange<Double>] {
        let width = Double(style.width), height = Double(style.height)
        let gap = 0.22
        let units = glyphs.reduce(0) { $0 + $1.advance } + gap * Double(glyphs.count - 1)
        let margin = min(width / 8, 6 + style.strokeWidth)
        let size = max(4, min(style.letterHeight, (width - 2 * margin) / units))
        var x = (width - units * size) / 2 + Double.random(in: -3...3, using: &random)
        var spans: [ClosedRange<Double>] = []
        for (index, glyph) in glyphs.enumerated() {
            let scale = size * (1 + Double.random(in: -style.scaleJitter...style.scaleJitter, using: &random))
            let angle = Double.random(in: -style.maxRotation...style.maxRotation, using: &random) * .pi / 180
            let centerX = x + glyph.advance * size / 2
            let centerY = height / 2 + Double.random(in: -style.verticalJitter...style.verticalJitter, using: &random)
            let cosine = cos(angle), sine = sin(angle)
            for stroke in glyph.strokes {
                let points = stroke.map { point -> CaptchaPoint in
                    let lx = (point.x - glyph.advance / 2) * scale, ly = (point.y - 0.5) * scale
                    return CaptchaPoint(centerX + lx * cosine - ly * sine, centerY + lx * sine + ly * cosine)
                }
                ink.polyline(points, thickness: style.strokeWidth)
            }
            shades[index] = Double.random(in: 0...1, using: &random)
            spans.append((x - size * gap / 2)...(x + glyph.advance * size + size * gap / 2))
            x += (glyph.advance + gap) * size
        }
        return spans
    }

    /// Wavy lines across the text area, in the same ink as the letters, so they cannot be
    /// told apart by colour.
    private func drawNoiseLines(into ink: inout InkLayer, random: inout some RandomNumberGenerator) {
        let width = Double(style.width), height = Double(style.height)
        for _ in 0..<style.noiseLines {
            let startY = Double.random(in: height * 0.25...height * 0.75, using: &random)
            let endY = Double.random(in: height * 0.25...height * 0.75, using: &random)
            let amplitude = Double.random(in: 2...(height * 0.15), using: &random)
            let cycles = Double.random(in: 0.5...1.5, using: &random)
            let phase = Double.random(in: 0...(2 * .pi), using: &random)
            let startX = Double.random(in: 0...(width * 0.3), using: &random)
            let endX = Double.random(in: (width * 0.7)...width, using: &random)
            let points = (0...40).map { step -> CaptchaPoint in
                let t = Double(step) / 40
                let y = startY + (endY - startY) * t + amplitude * sin(2 * .pi * cycles * t + phase)
                return CaptchaPoint(startX + (endX - startX) * t, y)
            }
            ink.polyline(points, thickness: style.noiseLineWidth, strength: Double.random(in: 0.55...0.8, using: &random))
        }
    }

    /// Moves every pixel along two sine waves (x by row, y by column), bending letters and
    /// lines alike.
    private func warp(_ ink: InkLayer, random: inout some RandomNumberGenerator) -> InkLayer {
        guard style.warpAmplitude > 0 else { return ink }
        var output = InkLayer(width: ink.width, height: ink.height)
        let phaseX = Double.random(in: 0...(2 * .pi), using: &random)
        let phaseY = Double.random(in: 0...(2 * .pi), using: &random)
        let waveX = 2 * .pi / (style.warpWavelength * Double.random(in: 0.8...1.2, using: &random))
        let waveY = 2 * .pi / (style.warpWavelength * Double.random(in: 0.5...0.8, using: &random))
        let amplitude = style.warpAmplitude
        let xShift = (0..<ink.height).map { amplitude * sin(Double($0) * waveY + phaseY) }
        let yShift = (0..<ink.width).map { amplitude * 0.8 * sin(Double($0) * waveX + phaseX) }
        for y in 0..<ink.height {
            for x in 0..<ink.width {
                output.values[y * ink.width + x] = ink.sample(Double(x) + 0.5 + xShift[y], Double(y) + 0.5 + yShift[x])
            }
        }
        return output
    }

    /// Shades the image: a light background with a soft gradient and grain, letters in dark
    /// greys that vary per letter, then dark and light speckles.
    private func compose(
        _ ink: InkLayer, spans: [ClosedRange<Double>], shades: [Double], random: inout some RandomNumberGenerator
    ) -> [UInt8] {
        let width = ink.width, height = ink.height
        let left = Double.random(in: 226...246, using: &random), right = Double.random(in: 226...246, using: &random)
        var columnInk = [Double](repeating: 50, count: width)
        for (span, shade) in zip(spans, shades) {
            let lower = max(0, Int(span.lowerBound)), upper = min(width - 1, Int(span.upperBound))
            if lower <= upper { for x in lower...upper { columnInk[x] = 25 + 50 * shade } }
        }
        var pixels = [UInt8](repeating: 0, count: width * height)
        // Grain needs no strength, only speed: a xorshift seeded from the caller's generator
        // costs a few instructions per pixel where the generic API costs many.
        var grain = random.next() | 1
        for y in 0..<height {
            for x in 0..<width {
                grain ^= grain << 13
                grain ^= grain >> 7
                grain ^= grain << 17
                let background = left + (right - left) * Double(x) / Double(width) + Double(grain % 7) - 3
                let coverage = ink.values[y * width + x]
                let value = background * (1 - coverage) + columnInk[x] * coverage
                pixels[y * width + x] = UInt8(min(255, max(0, value.rounded())))
            }
        }
        for _ in 0..<style.speckles {
            let x = Int.random(in: 0..<width, using: &random), y = Int.random(in: 0..<height, using: &random)
            let dark = Bool.random(using: &random)
            let value = UInt8(dark ? Int.random(in: 40...130, using: &random) : Int.random(in: 200...255, using: &random))
            pixels[y * width + x] = value
            if Int.random(in: 0..<3, using: &random) == 0, x + 1 < width { pixels[y * width + x + 1] = value }
        }
        return pixels
    }
}
