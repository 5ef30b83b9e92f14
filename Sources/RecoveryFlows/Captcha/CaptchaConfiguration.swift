import Foundation

/// How the Cajacopi captcha behaves. Every value has a documented default.
public struct CaptchaConfiguration: Sendable, Equatable {
    /// How long a captcha can be answered. Default 5 minutes: long enough to read and type,
    /// short enough that a harvested image is useless later.
    public var lifetime: TimeInterval
    /// How many characters each captcha has. Default 6 to 8, as the issue asks.
    public var length: ClosedRange<Int>
    /// Whether answers of live captchas are kept in memory for `GET /_dev/captcha/{id}`.
    /// Default false; only development mode turns it on, and production never mounts the route.
    public var recordsAnswersForDevelopment: Bool
    /// How many digits the audio alternative speaks. Default 6: about 20 bits, as hard to
    /// guess blind as the image's letters are in practice (each check uses the captcha up and
    /// drawing captchas has its own limit), and short enough to hold in mind while typing.
    public var audioDigits: Int

    /// A configuration; every parameter has the default documented on its property.
    public init(lifetime: TimeInterval = 5 * 60, length: ClosedRange<Int> = 6...8,
                recordsAnswersForDevelopment: Bool = false, audioDigits: Int = 6) {
        self.lifetime = lifetime
        self.length = length
        self.audioDigits = max(1, audioDigits)
        self.recordsAnswersForDevelopment = recordsAnswersForDevelopment
    }
}
