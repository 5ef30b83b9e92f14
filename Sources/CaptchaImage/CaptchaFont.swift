/// The captcha's own stroke font: every glyph is a few polylines in a unit box, so the
/// renderer can scale, rotate and warp it freely and draw it with thick round lines.
///
/// Coordinates: x from 0 to the glyph's ``Glyph/advance``, y from 0 (capital height) down to
/// 1 (baseline); small letters start at the x-height, 0.42.
public enum CaptchaFont {
    /// One character's strokes.
    public struct Glyph: Sendable, Equatable {
        /// The glyph's width in units of capital height.
        public let advance: Double
        /// Polylines, each drawn as one continuous stroke.
        public let strokes: [[CaptchaPoint]]
    }

    /// The glyph for `character`, or `nil` when the font has none.
    public static func glyph(for character: Character) -> Glyph? {
        glyphs[character]
    }

    /// Every character the font can draw.
    public static var characters: Set<Character> { Set(glyphs.keys) }

    private typealias P = CaptchaPoint

    private static func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, _ start: Double, _ end: Double) -> [P] {
        CaptchaPoint.arc(cx, cy, rx, ry, from: start, to: end)
    }

    private static let glyphs: [Character: Glyph] = [
        // Capitals.
        "A": Glyph(advance: 0.72, strokes: [[P(0, 1), P(0.36, 0), P(0.72, 1)], [P(0.15, 0.64), P(0.57, 0.64)]]),
        "E": Glyph(advance: 0.58, strokes: [[P(0.58, 0), P(0, 0), P(0, 1), P(0.58, 1)], [P(0, 0.5), P(0.48, 0.5)]]),
        "F": Glyph(advance: 0.56, strokes: [[P(0.56, 0), P(0, 0), P(0, 1)], [P(0, 0.48), P(0.46, 0.48)]]),
        "H": Glyph(advance: 0.66, strokes: [[P(0, 0), P(0, 1)], [P(0.66, 0), P(0.66, 1)], [P(0, 0.5), P(0.66, 0.5)]]),
        // No top bar: with one, a tilted J reads as T.
        "J": Glyph(advance: 0.5, strokes: [[P(0.46, 0)] + arc(0.25, 0.72, 0.21, 0.28, 0, 180)]),
        "L": Glyph(advance: 0.55, strokes: [[P(0, 0), P(0, 1), P(0.55, 1)]]),
        "M": Glyph(advance: 0.82, strokes: [[P(0, 1), P(0, 0), P(0.41, 0.62), P(0.82, 0), P(0.82, 1)]]),
        "N": Glyph(advance: 0.66, strokes: [[P(0, 1), P(0, 0), P(0.66, 1), P(0.66, 0)]]),
        "R": Glyph(advance: 0.62, strokes: [
            [P(0, 1), P(0, 0), P(0.32, 0)] + arc(0.32, 0.25, 0.27, 0.25, -90, 90) + [P(0, 0.5)],
            [P(0.28, 0.5), P(0.62, 1)],
        ]),
        "T": Glyph(advance: 0.7, strokes: [[P(0, 0), P(0.7, 0)], [P(0.35, 0), P(0.35, 1)]]),
        "Y": Glyph(advance: 0.7, strokes: [[P(0, 0), P(0.35, 0.52), P(0.7, 0)], [P(0.35, 0.52), P(0.35, 1)]]),
        // Small letters.
        "a": Glyph(advance: 0.52, strokes: [
            arc(0.25, 0.6, 0.23, 0.17, 200, 360) + [P(0.48, 1)],
            arc(0.25, 0.8, 0.23, 0.2, 0, 360),
        ]),
        "d": Glyph(advance: 0.55, strokes: [[P(0.52, 0), P(0.52, 1)], arc(0.26, 0.71, 0.26, 0.29, 0, 360)]),
        "e": Glyph(advance: 0.55, strokes: [[P(0.02, 0.71), P(0.52, 0.71)] + arc(0.27, 0.71, 0.25, 0.29, 0, -300)]),
        "h": Glyph(advance: 0.55, strokes: [[P(0, 0), P(0, 1)], arc(0.26, 0.66, 0.26, 0.24, 180, 360) + [P(0.52, 1)]]),
        "m": Glyph(advance: 0.8, strokes: [
            [P(0, 0.42), P(0, 1)],
            arc(0.2, 0.62, 0.2, 0.2, 180, 360) + [P(0.4, 1)],
            arc(0.6, 0.62, 0.2, 0.2, 180, 360) + [P(0.8, 1)],
        ]),
        "n": Glyph(advance: 0.54, strokes: [[P(0, 0.42), P(0, 1)], arc(0.27, 0.64, 0.27, 0.22, 180, 360) + [P(0.54, 1)]]),
        "r": Glyph(advance: 0.42, strokes: [[P(0, 0.42), P(0, 1)], arc(0.27, 0.67, 0.27, 0.25, 180, 300)]),
        "t": Glyph(advance: 0.45, strokes: [
            [P(0.18, 0.1), P(0.18, 0.86)] + arc(0.36, 0.86, 0.18, 0.14, 180, 60),
            [P(0, 0.42), P(0.42, 0.42)],
        ]),
        // Digits.
        "3": Glyph(advance: 0.58, strokes: [arc(0.28, 0.25, 0.27, 0.25, -150, 90), arc(0.28, 0.75, 0.3, 0.25, -90, 150)]),
        "4": Glyph(advance: 0.62, strokes: [[P(0.46, 1), P(0.46, 0), P(0, 0.68), P(0.62, 0.68)]]),
        "6": Glyph(advance: 0.58, strokes: [
            [P(0.52, 0.02), P(0.3, 0.18), P(0.1, 0.42), P(0.02, 0.7)],
            arc(0.29, 0.73, 0.27, 0.27, 180, 540),
        ]),
        "7": Glyph(advance: 0.6, strokes: [[P(0, 0), P(0.6, 0), P(0.22, 1)]]),
        "9": Glyph(advance: 0.58, strokes: [
            arc(0.29, 0.27, 0.27, 0.27, 0, 360),
            [P(0.56, 0.3), P(0.48, 0.58), P(0.3, 0.85), P(0.08, 1)],
        ]),
    ]
}
