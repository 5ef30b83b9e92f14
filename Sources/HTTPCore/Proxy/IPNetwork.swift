/// An address block in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or one address (a bare
/// address is its own /32 or /128).
///
/// Host bits below the prefix are ignored (`10.1.2.3/8` is `10.0.0.0/8`). An IPv4-mapped block
/// (`::ffff:10.0.0.0/104`) is the IPv4 block it maps, so it needs a prefix of at least 96.
///
/// ```swift
/// IPNetwork("192.0.2.0/24")?.contains(IPAddress("192.0.2.77")!)  // true
/// IPNetwork("0.0.0.0/0")?.contains(IPAddress("::1")!)             // false: another family
/// ```
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block.
    public let address: IPAddress
    /// How many leading bits every member shares: 0-32 for IPv4, 0-128 for IPv6.
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let writtenAsIPv6 = parts[0].contains(":")
        var prefix = address.bytes.count * 8 + (address.isIPv4 && writtenAsIPv6 ? 96 : 0)
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(digits), value <= (writtenAsIPv6 ? 128 : 32) else { return nil }
            prefix = value
        }
        if address.isIPv4 && writtenAsIPv6 {
            guard prefix >= 96 else { return nil }
            prefix -= 96
        }
        self.prefixLength = prefix
        self.address = IPAddress(masking: address, to: prefix)
    }

    /// Whether `candidate` is inside the block; never across families.
    public func contains(_ candidate: IPAddress) -> Bool {
        candidate.bytes.count == address.bytes.count && IPAddress(masking: candidate, to: prefixLength) == address
    }

    /// `ADDRESS/PREFIX`.
    public var description: String { "\(address)/\(prefixLength)" }
}

extension IPAddress {
    /// `address` with every bit after the first `prefix` cleared.
    fileprivate init(masking address: IPAddress, to prefix: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let kept = min(8, max(0, prefix - index * 8))
            bytes[index] &= kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - kept))
        }
        self.init(unchecked: bytes)
    }
}
