import ClaveCrypto

/// A deterministic random stream from a secret seed: HMAC-SHA256(seed, counter), 32 bytes a
/// block. One captcha's text and drawing jitter both come from it, so the image route renders
/// the same picture every time it is asked for an id (an attacker refetching gets no new
/// variants to average), while nobody without the server's `captcha` key can predict either.
struct CaptchaStream: RandomNumberGenerator {
    private let seed: [UInt8]
    private var counter: UInt64 = 0
    private var block: [UInt8] = []
    private var offset = 0

    /// The stream for `seed` (a MAC under the server key; never shown).
    init(seed: [UInt8]) { self.seed = seed }

    mutating func next() -> UInt64 {
        if offset + 8 > block.count {
            block = HMACSHA256.authenticate(withUnsafeBytes(of: counter.bigEndian) { Array($0) }, key: seed)
            counter &+= 1
            offset = 0
        }
        var value: UInt64 = 0
        for byte in block[offset..<offset + 8] { value = value << 8 | UInt64(byte) }
        offset += 8
        return value
    }

    /// A uniform integer in `0..<bound` by rejection (no modulo bias), written out here rather
    /// than left to the standard library so every build derives the same answer from an id.
    mutating func uniform(_ bound: Int) -> Int {
        let bound = UInt64(max(1, bound))
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }
}
