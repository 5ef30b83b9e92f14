import Foundation

/// Why the spoken digits could not be loaded.
public enum SpokenDigitsError: Error, Sendable, Equatable {
    /// `D.wav` is missing or unreadable.
    case unreadable(String)
    /// `D.wav` is not mono 16-bit PCM, or is silent.
    case invalid(String, WAVError?)
    /// The clips do not share one sample rate (they must, to be joined).
    case mixedSampleRates
}

/// The ten spoken digits the audio captcha is composed from: `0.wav` … `9.wav`, generated once
/// by `scripts/captcha-audio-clips.sh` (espeak-ng, Spanish) and committed under
/// `Resources/audio/captcha`. Each clip is trimmed of its padding when loaded.
public struct SpokenDigits: Sendable, Equatable {
    /// The clips by digit, `clips[3]` says «tres»; all at ``sampleRate``.
    public let clips: [PCMAudio]
    /// The clips' common sample rate.
    public var sampleRate: Int { clips[0].sampleRate }

    /// The ten clips, trimmed; there must be exactly ten, non-empty, at one sample rate.
    public init(clips: [PCMAudio]) throws(SpokenDigitsError) {
        guard clips.count == 10 else { throw .unreadable("\(clips.count) clips") }
        let trimmed = clips.map { $0.trimmed() }
        for (digit, clip) in trimmed.enumerated() where clip.samples.isEmpty { throw .invalid("\(digit).wav", nil) }
        guard Set(trimmed.map(\.sampleRate)).count == 1 else { throw .mixedSampleRates }
        self.clips = trimmed
    }

    /// The clips in `directory` (`0.wav` … `9.wav`).
    public init(directory: URL) throws(SpokenDigitsError) {
        var clips: [PCMAudio] = []
        for digit in 0...9 {
            let name = "\(digit).wav"
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                throw .unreadable(name)
            }
            do { clips.append(try WAVFormat.decode(Array(data))) } catch { throw .invalid(name, error) }
        }
        try self.init(clips: clips)
    }
}
