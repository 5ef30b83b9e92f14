/// Mono 16-bit PCM samples at a sample rate: what a WAV file of the audio captcha holds.
///
/// Only this one shape is read and written (RIFF `WAVE`, `fmt ` format 1, one channel, 16 bits):
/// it is what espeak-ng writes for the committed clips and what every browser plays.
public struct PCMAudio: Sendable, Equatable {
    /// Samples a second (espeak-ng's clips: 22050).
    public var sampleRate: Int
    /// The samples, signed 16-bit.
    public var samples: [Int16]

    /// Audio of `samples` at `sampleRate`.
    public init(sampleRate: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// How long it plays, in seconds.
    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }

    /// The audio without its leading and trailing near-silence (every sample within `threshold`
    /// of zero): espeak-ng pads each word, and the composer chooses the gaps itself.
    public func trimmed(threshold: Int16 = 200) -> PCMAudio {
        let loud = { (sample: Int16) in sample > threshold || sample < -threshold }
        guard let first = samples.firstIndex(where: loud), let last = samples.lastIndex(where: loud) else {
            return PCMAudio(sampleRate: sampleRate, samples: [])
        }
        return PCMAudio(sampleRate: sampleRate, samples: Array(samples[first...last]))
    }
}
