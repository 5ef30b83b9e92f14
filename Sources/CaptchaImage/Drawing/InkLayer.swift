import Foundation

/// A grayscale coverage layer (0 = nothing, 1 = full ink) that strokes are drawn into,
/// anti-aliased, before warping and shading.
struct InkLayer {
    let width: Int
    let height: Int
    var values: [Double]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        values = [Double](repeating: 0, count: width * height)
    }

    /// Draws a round-capped line of `thickness` pixels at `strength` (0…1) coverage. Each
    /// pixel takes the distance from its centre to the segment, which gives smooth edges and
    /// round joints between the segments of a polyline.
    mutating func line(_ from: CaptchaPoint, _ to: CaptchaPoint, thickness: Double, strength: Double = 1) {
        let radius = thickness / 2
        let minX = max(0, Int((min(from.x, to.x) - radius - 1).rounded(.down)))
        let maxX = min(width - 1, Int((max(from.x, to.x) + radius + 1).rounded(.up)))
        let minY = max(0, Int((min(from.y, to.y) - radius - 1).rounded(.down)))
        let maxY = min(height - 1, Int((max(from.y, to.y) + radius + 1).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let dx = to.x - from.x, dy = to.y - from.y
        let lengthSquared = dx * dx + dy * dy
        for y in minY...maxY {
            let py = Double(y) + 0.5
            for x in minX...maxX {
                let px = Double(x) + 0.5
                var t = lengthSquared > 0 ? ((px - from.x) * dx + (py - from.y) * dy) / lengthSquared : 0
                t = min(1, max(0, t))
                let ex = px - (from.x + t * dx), ey = py - (from.y + t * dy)
                let coverage = min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot())) * strength
                let index = y * width + x
                if coverage > values[index] { values[index] = coverage }
            }
        }
    }

    /// Draws a polyline through `points`.
    mutating func polyline(_ points: [CaptchaPoint], thickness: Double, strength: Double = 1) {
        guard var previous = points.first else { return }
        if points.count == 1 { line(previous, previous, thickness: thickness, strength: strength) }
        for point in points.dropFirst() {
            line(previous, point, thickness: thickness, strength: strength)
            previous = point
        }
    }

    /// Coverage at a fractional position, bilinearly interpolated; 0 outside the layer.
    func sample(_ x: Double, _ y: Double) -> Double {
        let fx = x - 0.5, fy = y - 0.5
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let tx = fx - Double(x0), ty = fy - Double(y0)
        func at(_ x: Int, _ y: Int) -> Double {
            guard x >= 0, y >= 0, x < width, y < height else { return 0 }
            return values[y * width + x]
        }
        let top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx
        let bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx
        return top * (1 - ty) + bottom * ty
    }
}
