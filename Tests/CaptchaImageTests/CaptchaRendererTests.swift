import Foundation
import Testing
import TestSupport
@testable import CaptchaImage

@Suite("Captcha renderer")
struct CaptchaRendererTests {
    @Test("random text: 6 to 8 characters, all from the alphabet, all of it used")
    func randomText() {
        var random = SeededRandom(seed: 1)
        var lengths = Set<Int>()
        var seen = Set<Character>()
        for _ in 0..<500 {
            let text = CaptchaRenderer.randomText(using: &random)
            lengths.insert(text.count)
            seen.formUnion(text)
            #expect(text.allSatisfy(CaptchaAlphabet.standard.contains))
        }
        #expect(lengths == [6, 7, 8])
        #expect(seen == Set(CaptchaAlphabet.standard.characters))
    }

    @Test("the alphabet leaves out look-alikes and the font draws every character in it")
    func alphabet() {
        let standard = CaptchaAlphabet.standard
        for excluded in "0Oo1lIi5Ss2Zz8B6b9gqCcKkPpUuVvWwXxGQDjfy" where excluded != "6" && excluded != "9" {
            #expect(!standard.contains(excluded), "\(excluded)")
        }
        #expect(standard.characters.count == 24)
        for character in standard.characters {
            #expect(CaptchaFont.glyph(for: character) != nil, "\(character)")
        }
        #expect(CaptchaAlphabet("AA") == nil)
        #expect(CaptchaAlphabet("A?3")?.characters == ["A", "3"])
    }

    @Test("each glyph stays inside its box and has ink")
    func glyphBoxes() throws {
        for character in CaptchaFont.characters {
            let glyph = try #require(CaptchaFont.glyph(for: character))
            let points = glyph.strokes.flatMap { $0 }
            #expect(!points.isEmpty)
            for point in points {
                #expect(point.x >= -0.05 && point.x <= glyph.advance + 0.05, "\(character) \(point)")
                #expect(point.y >= -0.05 && point.y <= 1.05, "\(character) \(point)")
            }
        }
    }

    @Test("images have the style's size, dark ink on a light background, and differ per draw")
    func pixels() throws {
        let renderer = CaptchaRenderer()
        var random = SeededRandom(seed: 7)
        let first = try renderer.renderPixels(text: "AdHe3m", random: &random)
        let second = try renderer.renderPixels(text: "AdHe3m", random: &random)
        #expect(first.count == 200 * 70)
        #expect(first != second)
        let dark = first.filter { $0 < 110 }.count
        let light = first.filter { $0 > 200 }.count
        #expect(dark > 600, "ink pixels: \(dark)")
        #expect(light > first.count / 2, "background pixels: \(light)")
        var again = SeededRandom(seed: 7)
        #expect(try renderer.renderPixels(text: "AdHe3m", random: &again) == first)
    }

    @Test("every letter leaves ink: blank space between the text's ends stays small")
    func lettersSpread() throws {
        let style = CaptchaStyle(noiseLines: 0, speckles: 0)
        var random = SeededRandom(seed: 3)
        let pixels = try CaptchaRenderer(style: style).renderPixels(text: "AEFHJLMN", random: &random)
        let inkColumns = (0..<200).filter { x in (0..<70).contains { pixels[$0 * 200 + x] < 128 } }
        let first = try #require(inkColumns.first), last = try #require(inkColumns.last)
        #expect(last - first > 120, "text spans \(first)...\(last)")
        #expect(first > 2 && last < 197, "text clipped: \(first)...\(last)")
    }

    @Test("bad text is a typed error, not a crash")
    func badText() {
        var random = SeededRandom(seed: 1)
        let renderer = CaptchaRenderer()
        #expect(throws: CaptchaRenderer.Failure.unsupportedCharacter("0")) { try renderer.render(text: "AE0", random: &random) }
        #expect(throws: CaptchaRenderer.Failure.invalidLength(0)) { try renderer.render(text: "", random: &random) }
        #expect(throws: CaptchaRenderer.Failure.invalidLength(17)) {
            try renderer.render(text: String(repeating: "A", count: 17), random: &random)
        }
    }

    @Test("absurd styles are clamped instead of crashing")
    func clampedStyle() throws {
        let style = CaptchaStyle(width: -5, height: 0, letterHeight: .nan, strokeWidth: 1e9, maxRotation: .infinity,
                                 noiseLines: -1, speckles: Int.max, warpAmplitude: -3, warpWavelength: 0)
        let renderer = CaptchaRenderer(style: style)
        #expect(renderer.style.width == 40 && renderer.style.height == 20)
        var random = SeededRandom(seed: 9)
        let png = try renderer.render(text: "Aa", random: &random)
        #expect(Array(png.prefix(8)) == PNGEncoder.signature)
    }

    @Test("random styles, sane or absurd, always give a PNG of the clamped size")
    func randomStyles() throws {
        var random = SeededRandom(seed: 77)
        func pick(_ values: [Double]) -> Double { values[Int.random(in: 0..<values.count, using: &random)] }
        let numbers: [Double] = [-1e9, -1, 0, 0.3, 1, 3, 12, 70, 500, 1e9, .nan, .infinity, -.infinity]
        for _ in 0..<60 {
            let style = CaptchaStyle(
                width: Int.random(in: -10...400, using: &random), height: Int.random(in: -10...200, using: &random),
                letterHeight: pick(numbers), strokeWidth: pick(numbers), maxRotation: pick(numbers),
                scaleJitter: pick(numbers), verticalJitter: pick(numbers), noiseLines: Int.random(in: -5...30, using: &random),
                noiseLineWidth: pick(numbers), speckles: Int.random(in: -5...3000, using: &random),
                warpAmplitude: pick(numbers), warpWavelength: pick(numbers)
            )
            let renderer = CaptchaRenderer(style: style)
            let text = CaptchaRenderer.randomText(length: 1...16, using: &random)
            let pixels = try renderer.renderPixels(text: text, random: &random)
            #expect(pixels.count == renderer.style.width * renderer.style.height)
        }
    }

    @Test("rendering time and size (printed, not asserted)")
    func timing() throws {
        let renderer = CaptchaRenderer()
        var random = SeededRandom(seed: 11)
        let count = 50
        var bytes = 0
        let start = Date()
        for _ in 0..<count {
            let text = CaptchaRenderer.randomText(using: &random)
            bytes += try renderer.render(text: text, random: &random).count
        }
        let elapsed = Date().timeIntervalSince(start)
        print("captcha: \(count) images, \(String(format: "%.2f", elapsed * 1000 / Double(count))) ms each, \(bytes / count) bytes average PNG")
        #expect(bytes > 0)
    }
}
