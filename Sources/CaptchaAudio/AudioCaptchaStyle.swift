/// How an audio captcha sounds. Every value has a documented default.
public struct AudioCaptchaStyle: Sendable, Equatable {
    /// Silence (with noise) before the first digit, in milliseconds. Default 500 to 900: time
    /// for a screen reader to stop speaking before the first digit.
    public var leadIn: ClosedRange<Int>
    /// The pause between two digits, in milliseconds. Default 350 to 900: random, so a
    /// recording cannot be cut into digits at fixed places, and long enough to tell them apart.
    public var gap: ClosedRange<Int>
    /// Silence after the last digit, in milliseconds. Default 400.
    public var tail: Int
    /// Each digit's loudness as a percentage of the clip's. Default 70 to 100.
    public var gainPercent: ClosedRange<Int>
    /// The peak of the background noise over the whole track (of 32767). Default 1200, about
    /// 4 % of full scale: audible hiss that a person hears through and that keeps the digits
    /// from being exact copies of the committed clips.
    public var noisePeak: Int

    /// A style; every parameter has the default documented on its property.
    public init(leadIn: ClosedRange<Int> = 500...900, gap: ClosedRange<Int> = 350...900, tail: Int = 400,
                gainPercent: ClosedRange<Int> = 70...100, noisePeak: Int = 1200) {
        self.leadIn = leadIn
        self.gap = gap
        self.tail = tail
        self.gainPercent = gainPercent
        self.noisePeak = noisePeak
    }
}
