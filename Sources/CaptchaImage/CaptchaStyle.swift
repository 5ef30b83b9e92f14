/// How a captcha image looks: size, letter shape and how much distortion and noise.
///
/// The defaults give a 200×70 image a person reads at a glance while a naive OCR pass does
/// not: letters of varied size and tilt, a sine warp over the whole image, ink-coloured lines
/// crossing the text, and speckles.
public struct CaptchaStyle: Sendable, Equatable {
    /// Image width in pixels. Default 200; at least 40 is used.
    public var width: Int
    /// Image height in pixels. Default 70; at least 20 is used.
    public var height: Int
    /// Capital-letter height in pixels before per-letter scaling. Default 34; shrunk when the
    /// text would not fit the width.
    public var letterHeight: Double
    /// Stroke thickness in pixels. Default 3.
    public var strokeWidth: Double
    /// Largest tilt of a letter, in degrees either way. Default 12.
    public var maxRotation: Double
    /// Largest change of a letter's size, as a fraction either way. Default 0.12.
    public var scaleJitter: Double
    /// Largest vertical shift of a letter, in pixels either way. Default 4.
    public var verticalJitter: Double
    /// Lines drawn in ink colour across the text. Default 2.
    public var noiseLines: Int
    /// Thickness of those lines in pixels. Default 1.5.
    public var noiseLineWidth: Double
    /// Dots sprinkled over the image, dark and light. Default 260.
    public var speckles: Int
    /// Sine warp displacement in pixels. Default 3.
    public var warpAmplitude: Double
    /// Sine warp wavelength in pixels. Default 55.
    public var warpWavelength: Double

    /// A style with the documented defaults, each overridable.
    public init(
        width: Int = 200,
        height: Int = 70,
        letterHeight: Double = 34,
        strokeWidth: Double = 3,
        maxRotation: Double = 12,
        scaleJitter: Double = 0.12,
        verticalJitter: Double = 4,
        noiseLines: Int = 2,
        noiseLineWidth: Double = 1.5,
        speckles: Int = 260,
        warpAmplitude: Double = 3,
        warpWavelength: Double = 55
    ) {
        self.width = width
        self.height = height
        self.letterHeight = letterHeight
        self.strokeWidth = strokeWidth
        self.maxRotation = maxRotation
        self.scaleJitter = scaleJitter
        self.verticalJitter = verticalJitter
        self.noiseLines = noiseLines
        self.noiseLineWidth = noiseLineWidth
        self.speckles = speckles
        self.warpAmplitude = warpAmplitude
        self.warpWavelength = warpWavelength
    }

    /// The style with every value brought into a range that draws something sensible, so a
    /// bad configuration cannot crash or hang the renderer (sizes capped at 2000×1000).
    var clamped: CaptchaStyle {
        var style = self
        style.width = min(2000, max(40, width))
        style.height = min(1000, max(20, height))
        style.letterHeight = min(Double(style.height), max(8, letterHeight.isFinite ? letterHeight : 34))
        style.strokeWidth = min(12, max(1, strokeWidth.isFinite ? strokeWidth : 3.4))
        style.maxRotation = min(45, max(0, maxRotation.isFinite ? maxRotation : 0))
        style.scaleJitter = min(0.4, max(0, scaleJitter.isFinite ? scaleJitter : 0))
        style.verticalJitter = min(Double(style.height) / 4, max(0, verticalJitter.isFinite ? verticalJitter : 0))
        style.noiseLines = min(20, max(0, noiseLines))
        style.noiseLineWidth = min(6, max(0.5, noiseLineWidth.isFinite ? noiseLineWidth : 1.8))
        style.speckles = min(5000, max(0, speckles))
        style.warpAmplitude = min(10, max(0, warpAmplitude.isFinite ? warpAmplitude : 0))
        style.warpWavelength = min(1000, max(10, warpWavelength.isFinite ? warpWavelength : 55))
        return style
    }
}
