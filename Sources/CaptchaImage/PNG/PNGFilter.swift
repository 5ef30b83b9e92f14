/// Scanline filtering (PNG §9): each row gets the filter that leaves the smallest sum of
/// absolute differences, the heuristic the specification recommends (§12.8), which helps the
/// compressor on gradients and flat areas.
enum PNGFilter {
    static func filter(_ pixels: [UInt8], width: Int, height: Int, bytesPerPixel: Int) -> [UInt8] {
        let rowLength = width * bytesPerPixel
        var output: [UInt8] = []
        output.reserveCapacity((rowLength + 1) * height)
        var candidate = [UInt8](repeating: 0, count: rowLength)
        var best = [UInt8](repeating: 0, count: rowLength)
        let zeros = [UInt8](repeating: 0, count: rowLength)
        for row in 0..<height {
            let current = pixels[(row * rowLength)..<((row + 1) * rowLength)]
            let above = row == 0 ? zeros[...] : pixels[((row - 1) * rowLength)..<(row * rowLength)]
            var bestType: UInt8 = 0
            var bestScore = Int.max
            for type in UInt8(0)...4 {
                var score = 0
                for index in 0..<rowLength {
                    let x = current[current.startIndex + index]
                    let a = index >= bytesPerPixel ? current[current.startIndex + index - bytesPerPixel] : 0
                    let b = above[above.startIndex + index]
                    let c = index >= bytesPerPixel ? above[above.startIndex + index - bytesPerPixel] : 0
                    let predicted: UInt8
                    switch type {
                    case 0: predicted = 0
                    case 1: predicted = a
                    case 2: predicted = b
                    case 3: predicted = UInt8((Int(a) + Int(b)) / 2)
                    default: predicted = paeth(a, b, c)
                    }
                    let value = x &- predicted
                    candidate[index] = value
                    score += value < 128 ? Int(value) : 256 - Int(value)
                }
                if score < bestScore {
                    bestScore = score
                    bestType = type
                    swap(&best, &candidate)
                }
            }
            output.append(bestType)
            output += best
        }
        return output
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
