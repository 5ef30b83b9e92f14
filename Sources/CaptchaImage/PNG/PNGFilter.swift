/// Scanline filtering (PNG §9): each row gets the filter that leaves the smallest sum of
/// absolute differences, the heuristic the specification recommends (§12.8), which helps the
/// compressor on gradients and flat areas.
enum PNGFilter {
    /// The filtered image: per row, the filter type byte then the filtered bytes.
    static func filter(_ pixels: [UInt8], width: Int, height: Int, bytesPerPixel: Int) -> [UInt8] {
        let rowLength = width * bytesPerPixel
        var output = [UInt8](repeating: 0, count: (rowLength + 1) * height)
        var candidate = [UInt8](repeating: 0, count: rowLength)
        let zeros = [UInt8](repeating: 0, count: rowLength)
        pixels.withUnsafeBufferPointer { image in
            zeros.withUnsafeBufferPointer { zeroRow in
                for row in 0..<height {
                    let current = UnsafeBufferPointer(rebasing: image[(row * rowLength)..<((row + 1) * rowLength)])
                    let above = row == 0 ? zeroRow : UnsafeBufferPointer(rebasing: image[((row - 1) * rowLength)..<(row * rowLength)])
                    let start = row * (rowLength + 1)
                    var bestScore = Int.max
                    for type in UInt8(0)...4 {
                        let score = candidate.withUnsafeMutableBufferPointer { filtered in
                            apply(type, current: current, above: above, bytesPerPixel: bytesPerPixel, into: filtered)
                        }
                        if score < bestScore {
                            bestScore = score
                            output[start] = type
                            output.replaceSubrange((start + 1)...(start + rowLength), with: candidate)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Filters one row with `type` into `filtered`; returns the row's score (sum of the
    /// bytes read as signed magnitudes).
    private static func apply(
        _ type: UInt8, current: UnsafeBufferPointer<UInt8>, above: UnsafeBufferPointer<UInt8>, bytesPerPixel: Int,
        into filtered: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var score = 0
        for index in 0..<current.count {
            let a = index >= bytesPerPixel ? current[index - bytesPerPixel] : 0
            let b = above[index]
            let predicted: UInt8
            switch type {
            case 0: predicted = 0
            case 1: predicted = a
            case 2: predicted = b
            case 3: predicted = UInt8((Int(a) + Int(b)) / 2)
            default: predicted = paeth(a, b, index >= bytesPerPixel ? above[index - bytesPerPixel] : 0)
            }
            let value = current[index] &- predicted
            filtered[index] = value
            score += value < 128 ? Int(value) : 256 - Int(value)
        }
        return score
    }

    /// The Paeth predictor (PNG §9.4): whichever of left, above, upper-left is closest to
    /// left + above - upper-left.
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let estimate = Int(a) + Int(b) - Int(c)
        let distanceA = abs(estimate - Int(a)), distanceB = abs(estimate - Int(b)), distanceC = abs(estimate - Int(c))
        if distanceA <= distanceB && distanceA <= distanceC { return a }
        return distanceB <= distanceC ? b : c
    }
}
