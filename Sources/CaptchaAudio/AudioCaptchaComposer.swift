/// Where one spoken digit lies in a composed captcha, in samples.
public struct AudioSegment: Sendable, Equatable {
    /// The digit spoken (`"7"`).
    public var character: Character
    /// The first sample of the digit's clip.
    public var start: Int
    /// How many samples the clip has (the trimmed clip's length).
    public var count: Int
}

/// A composed captcha: its samples and where each digit is.
public struct ComposedAudio: Sendable, Equatable {
    /// The whole track.
    public var audio: PCMAudio
    /// One segment per digit, in order.
    public var segments: [AudioSegment]
    /// The track as a WAV file.
    public var wav: [UInt8] { WAVFormat.encode(audio) }
}

/// Why a captcha could not be composed.
public enum AudioCaptchaError: Error, Sendable, Equatable {
    /// A character that is not a digit 0-9 (the audio captcha speaks digits only).
    case notADigit(Character)
}

/// Composes the audio captcha: the spoken digits with random pauses and gains over noise.
///
/// Every random choice comes from the caller's generator, so the captcha service can pass the
/// same secret stream it derives the digits from: the same id always gives the same bytes, and
/// refetching gives an attacker no new variants to average.
public struct AudioCaptchaComposer: Sendable {
    /// The clips to speak with.
    public let digits: SpokenDigits
    /// Pauses, gains and noise.
    public let style: AudioCaptchaStyle

    /// A composer over `digits` in `style`.
    public init(digits: SpokenDigits, style: AudioCaptchaStyle = AudioCaptchaStyle()) {
        self.digits = digits
        self.style = style
    }

    /// The track speaking `text` (digits only).
    public func compose(_ text: String, random: inout some RandomNumberGenerator) throws(AudioCaptchaError) -> ComposedAudio {
        let rate = digits.sampleRate
        let samplesIn = { (milliseconds: Int) in milliseconds * rate / 1000 }
        var mix: [Int32] = []
        var segments: [AudioSegment] = []
        for (index, character) in text.enumerated() {
            guard let value = character.wholeNumberValue, character.isASCII else { throw .notADigit(character) }
            let pause = Int.random(in: index == 0 ? style.leadIn : style.gap, using: &random)
            mix += [Int32](repeating: 0, count: samplesIn(pause))
            let gain = Int32(Int.random(in: style.gainPercent, using: &random))
            let clip = digits.clips[value].samples
            segments.append(AudioSegment(character: character, start: mix.count, count: clip.count))
            mix += clip.map { Int32($0) * gain / 100 }
        }
        mix += [Int32](repeating: 0, count: samplesIn(style.tail))
        let peak = Int32(max(0, style.noisePeak))
        // The hiss needs a number per sample: a fast generator seeded from the secret stream,
        // rather than a MAC for every four samples.
        var noise = NoiseGenerator(seed: random.next())
        let samples = mix.map { sample -> Int16 in
            let noisy = sample + (peak > 0 ? Int32.random(in: -peak...peak, using: &noise) : 0)
            return Int16(clamping: noisy)
        }
        return ComposedAudio(audio: PCMAudio(sampleRate: rate, samples: samples), segments: segments)
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): fast, and good enough for background hiss; its
/// seed comes from the captcha's secret stream.
struct NoiseGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
