/// An IPv4 or IPv6 address, parsed from its text form without the C library.
///
/// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, RFC 4291 §2.5.5.2) is the IPv4 address it
/// maps: a dual-stack socket names an IPv4 peer that way, and a trusted-proxy list written as
/// `192.0.2.1` must still match it. ``description`` is the canonical text (RFC 5952 for IPv6:
/// lower case, no leading zeros, the longest run of zero groups as `::`), so two spellings of
/// one address make one rate-limit key.
///
/// ```swift
/// IPAddress("2001:DB8:0::1")?.description  // "2001:db8::1"
/// IPAddress("::ffff:10.0.0.1") == IPAddress("10.0.0.1")  // true
/// IPAddress("010.0.0.1")  // nil: a leading zero could mean octal
/// ```
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]

    /// Whether this is an IPv4 address (including one written IPv4-mapped).
    public var isIPv4: Bool { bytes.count == 4 }

    /// An address from bytes the caller already holds as 4 or 16 (masking, tests).
    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses dotted-quad IPv4 or RFC 4291 §2.2 IPv6 text (no brackets, no zone, no port).
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 45 else { return nil }
        if utf8.contains(UInt8(ascii: ":")) {
            guard let bytes = Self.parseIPv6(utf8) else { return nil }
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
            self.bytes = bytes.starts(with: mappedPrefix) ? Array(bytes[12...]) : bytes
        } else {
            guard let bytes = Self.parseIPv4(utf8[...]) else { return nil }
            self.bytes = bytes
        }
    }

    /// Four decimal octets 0-255, each without leading zeros.
    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ (0x30...0x39).contains($0) }),
                  part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    /// Up to eight groups of 1-4 hex digits, at most one `::`, an IPv4 tail in the last 32 bits.
    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        let colon = UInt8(ascii: ":")
        var head: [UInt16] = [], tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if text.starts(with: [colon, colon]) {
            sawGap = true
            index = 2
            if index == text.count { return Array(repeating: 0, count: 16) }
        } else if text.first == colon {
            return nil
        }
        while index < text.count {
            var end = index
            while end < text.count, text[end] != colon { end += 1 }
            let group = text[index..<end]
            if end == text.count, group.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(group) else { return nil }
                let pair = [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                if sawGap { tail += pair } else { head += pair }
                index = end
                break
            }
            guard (1...4).contains(group.count), let value = UInt16(String(decoding: group, as: UTF8.self), radix: 16) else {
                return nil
            }
            if sawGap { tail.append(value) } else { head.append(value) }
            index = end
            guard index < text.count else { break }
            // At a colon: a second one right after is the gap, at most once; a lone one at the end is an error.
            index += 1
            if index < text.count, text[index] == colon {
                guard !sawGap else { return nil }
                sawGap = true
                index += 1
            } else if index == text.count {
                return nil
            }
        }
        let groups: [UInt16]
        if sawGap {
            guard head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard head.count == 8 else { return nil }
            groups = head
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// Dotted quad, or RFC 5952 §4 IPv6 text.
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // RFC 5952 §4.2: the longest run of two or more zero groups, the first one on a tie.
        var best = (start: -1, length: 0), run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let left = hex[..<best.start].joined(separator: ":")
        let right = hex[(best.start + best.length)...].joined(separator: ":")
        return left + "::" + right
    }
}
