import CaptchaAudio
import Foundation
import TestSupport
import Testing

@Suite("Audio captcha: spoken digits, random pauses and noise")
struct AudioCaptchaComposerTests {
    /// A generator with a fixed seed, so a test's track is the same every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    /// Ten synthetic clips: digit d is d+1 samples of value 1000·(d+1), with silent padding.
    static func syntheticDigits() throws -> SpokenDigits {
        try SpokenDigits(clips: (0...9).map { digit in
            PCMAudio(sampleRate: 8000, samples: [0, 0] + Array(repeating: Int16(1000 * (digit + 1)), count: digit + 1) + [0])
        })
    }

    @Test("the committed clips (scripts/captcha-audio-clips.sh) are ten mono 16-bit PCM WAV files at one rate")
    func committedClips() throws {
        let folder = PackagePaths.resources.appendingPathComponent("audio/captcha")
        let digits = try SpokenDigits(directory: folder)
        #expect(digits.sampleRate == 22050)
        for (digit, clip) in digits.clips.enumerated() {
            #expect(clip.duration > 0.15 && clip.duration < 1.5, "«\(digit)» lasts \(clip.duration) s")
        }
    }

    @Test("each digit's clip is where its segment says, pauses within the style, length as composed")
    func segments() throws {
        let style = AudioCaptchaStyle(leadIn: 100...200, gap: 50...100, tail: 25, gainPercent: 100...100, noisePeak: 0)
        let composer = AudioCaptchaComposer(digits: try Self.syntheticDigits(), style: style)
        var random = Seeded(state: 42)
        let track = try composer.compose("90417", random: &random)
        #expect(track.segments.map(\.character) == Array("90417"))
        var previousEnd = 0
        for (index, segment) in track.segments.enumerated() {
            let digit = segment.character.wholeNumberValue!
            #expect(segment.count == digit + 1, "trimmed clip length")
            #expect(track.audio.samples[segment.start..<segment.start + segment.count].allSatisfy { $0 == Int16(1000 * (digit + 1)) })
            let pause = (segment.start - previousEnd) * 1000 / 8000
            #expect((index == 0 ? style.leadIn : style.gap).contains(pause), "pause \(pause) ms")
            #expect(track.audio.samples[previousEnd..<segment.start].allSatisfy { $0 == 0 }, "silence between digits")
            previousEnd = segment.start + segment.count
        }
        #expect(track.audio.samples.count == previousEnd + 25 * 8000 / 1000)
        let parsed = try WAVFormat.decode(track.wav)
        #expect(parsed == track.audio)
        #expect(track.wav.count == 44 + 2 * track.audio.samples.count)
    }

    @Test("the same stream gives the same bytes; another stream other pauses and noise; noise stays within its peak")
    func deterministic() throws {
        let composer = AudioCaptchaComposer(digits: try Self.syntheticDigits(), style: AudioCaptchaStyle(noisePeak: 300))
        var a = Seeded(state: 7), b = Seeded(state: 7), c = Seeded(state: 8)
        let first = try composer.compose("123456", random: &a)
        #expect(try composer.compose("123456", random: &b) == first)
        #expect(try composer.compose("123456", random: &c).wav != first.wav)
        let silence = first.audio.samples[0..<first.segments[0].start]
        #expect(silence.allSatisfy { abs(Int($0)) <= 300 })
        #expect(silence.contains { $0 != 0 }, "the pauses carry noise")
    }

    @Test("only digits are spoken")
    func digitsOnly() throws {
        let composer = AudioCaptchaComposer(digits: try Self.syntheticDigits())
        var random = Seeded(state: 1)
        #expect(throws: AudioCaptchaError.notADigit("a")) { try composer.compose("12a", random: &random) }
        #expect(throws: AudioCaptchaError.notADigit("٣")) { try composer.compose("٣", random: &random) }
    }

    @Test("clips that cannot be joined are refused when loaded")
    func badClips() {
        let clip = PCMAudio(sampleRate: 8000, samples: [0, 5000, 0])
        #expect(throws: SpokenDigitsError.mixedSampleRates) {
            try SpokenDigits(clips: Array(repeating: clip, count: 9) + [PCMAudio(sampleRate: 16000, samples: [5000])])
        }
        #expect(throws: SpokenDigitsError.invalid("4.wav", nil)) {
            var clips = Array(repeating: clip, count: 10)
            clips[4] = PCMAudio(sampleRate: 8000, samples: [0, 0])
            return try SpokenDigits(clips: clips)
        }
        #expect(throws: SpokenDigitsError.unreadable("0.wav")) {
            try SpokenDigits(directory: URL(fileURLWithPath: "/nonexistent-clave-clips"))
        }
    }
}
