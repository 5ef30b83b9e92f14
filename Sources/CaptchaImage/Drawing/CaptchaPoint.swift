import Foundation

/// A point in glyph units or pixels (x right, y down).
public struct CaptchaPoint: Sendable, Equatable {
    /// Horizontal position.
    public var x: Double
    /// Vertical position, growing downwards like image rows.
    public var y: Double

    /// A point at (`x`, `y`).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    /// Points along an elliptical arc centred at (`cx`, `cy`), from `start` to `end` degrees
    /// (0° points right, 90° down), for drawing round strokes as polylines.
    static func arc(
        _ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from start: Double, to end: Double
    ) -> [CaptchaPoint] {
        let steps = max(4, Int(abs(end - start) / 12))
        return (0...steps).map { step in
            let angle = (start + (end - start) * Double(step) / Double(steps)) * .pi / 180
            return CaptchaPoint(cx + rx * cos(angle), cy + ry * sin(angle))
        }
    }
}
