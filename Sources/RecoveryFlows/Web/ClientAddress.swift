import Foundation
import HTTPCore

/// The client's address: the socket peer's, or, when the peer is a configured trusted proxy,
/// the nearest untrusted hop of its `Forwarded` or `X-Forwarded-For` field
/// (``HTTPRequest/clientAddress(trustedProxies:)`` in HTTPCore holds the rules), plus the
/// checks for the development-only routes.
public enum ClientAddress {
    /// The client address of `request` given `trustedProxies`; throws ``ForwardingError`` (a
    /// 400 page) when a trusted proxy's forwarding field does not parse or the two disagree.
    public static func of(_ request: HTTPRequest, trustedProxies: TrustedProxies) throws(ForwardingError) -> String {
        try request.clientAddress(trustedProxies: trustedProxies)
    }

    /// Whether `address` is the loopback interface (the development mailbox's only audience).
    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    /// Whether `request` comes from this machine, was not forwarded, and names this machine in
    /// its `Host`: the only audience of the development-only routes (mailbox, captcha answers).
    ///
    /// - A forwarded request is refused even from loopback: a reverse proxy on the same machine
    ///   would otherwise hand those routes to the whole network. Any proxy header counts
    ///   (`Forwarded`, `Via`, `X-Forwarded-*`, `X-Real-IP`, ...), not only the ones we read.
    /// - The `Host` must be a loopback name (`localhost`, `127.x.x.x`, `[::1]`, with or without a
    ///   port): a page on another site that re-points its own name at 127.0.0.1 (DNS rebinding)
    ///   reaches us from the victim's browser over loopback, but with its own name as `Host`.
    public static func isDirectFromThisMachine(_ request: HTTPRequest) -> Bool {
        guard isLoopback(request.remoteAddress), let host = request.headers.first("Host"), isLoopbackHost(host) else {
            return false
        }
        return !request.headers.contains(where: { isProxyHeader($0.0) })
    }

    /// Header fields that proxies and CDNs add to say whom they forwarded for.
    static func isProxyHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("x-forwarded-") || proxyHeaders.contains(lower)
    }

    private static let proxyHeaders: Set<String> = [
        "forwarded", "via", "x-real-ip", "x-client-ip", "true-client-ip", "cf-connecting-ip", "fastly-client-ip",
        "x-cluster-client-ip", "x-original-forwarded-for",
    ]

    /// Whether a `Host` value names this machine: `localhost`, an IPv4 loopback address or
    /// `[::1]`, each with an optional port.
    static func isLoopbackHost(_ value: String) -> Bool {
        var host = Substring(value.lowercased())
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || isPort(rest) else { return false }
            return host[host.index(after: host.startIndex)..<close] == "::1"
        }
        if let colon = host.lastIndex(of: ":") {
            guard isPort(host[colon...]) else { return false }
            host = host[..<colon]
        }
        if host == "localhost" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil }
    }

    /// `:` followed by 1 to 5 digits.
    private static func isPort(_ text: Substring) -> Bool {
        text.first == ":" && (2...6).contains(text.count) && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
