/// Finds earlier copies of the bytes at a position, through hash chains over 3-byte prefixes.
struct LZ77Matcher {
    static let window = 32_768
    static let minLength = 3
    static let maxLength = 258
    /// How many earlier positions to try per match: more compresses better, slower.
    static let maxChain = 16
    private static let hashBits = 13

    private let data: [UInt8]
    private var head: [Int32]
    private var previous: [Int32]

    init(_ data: [UInt8]) {
        self.data = data
        head = [Int32](repeating: -1, count: 1 << Self.hashBits)
        previous = [Int32](repeating: -1, count: Self.window)
    }

    private func hash(at position: Int) -> Int {
        let value = Int(data[position]) << 16 | Int(data[position + 1]) << 8 | Int(data[position + 2])
        return (value &* 2_654_435_761) >> 7 & ((1 << Self.hashBits) - 1)
    }

    /// Records `position` as a match candidate for later positions.
    mutating func insert(_ position: Int) {
        guard position + Self.minLength <= data.count else { return }
        let slot = hash(at: position)
        previous[position & (Self.window - 1)] = head[slot]
        head[slot] = Int32(position)
    }

    /// The longest earlier copy of the bytes at `position`, if at least 3 long.
    func longestMatch(at position: Int) -> (length: Int, distance: Int)? {
        guard position + Self.minLength <= data.count else { return nil }
        let limit = min(Self.maxLength, data.count - position)
        var candidate = Int(head[hash(at: position)])
        // A position already inserted must not match itself (distance 0 does not exist).
        while candidate >= position {
            let next = Int(previous[candidate & (Self.window - 1)])
            guard next < candidate else { return nil }
            candidate = next
        }
        var best: (length: Int, distance: Int)?
        var tries = 0
        while candidate >= 0, position - candidate <= Self.window, tries < Self.maxChain {
            var length = 0
            while length < limit, data[candidate + length] == data[position + length] { length += 1 }
            if length >= Self.minLength, length > (best?.length ?? 0) {
                best = (length, position - candidate)
                if length == limit { break }
            }
            let next = Int(previous[candidate & (Self.window - 1)])
            guard next < candidate else { break }
            candidate = next
            tries += 1
        }
        return best
    }
}
