import Foundation
import HTTPCore

/// The client's address: the socket peer's, or the nearest untrusted address in
/// `X-Forwarded-For` when the peer is a configured trusted proxy.
///
/// `X-Forwarded-For` lists addresses left (client) to right (nearest proxy); anyone can write
/// the left part, so it is read from the right, skipping trusted proxies, and the first
/// untrusted hop is the client. From an untrusted peer the header is ignored: otherwise any
/// client could pick its own address and escape the rate limits.
public enum ClientAddress {
    /// The client address of `request` given `trustedProxies`.
    public static func of(_ request: HTTPRequest, trustedProxies: Set<String>) -> String {
        let peer = request.remoteAddress
        guard trustedProxies.contains(peer) else { return peer }
        let hops = request.headers.values("X-Forwarded-For")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return isPlausibleAddress(hop) ? hop : peer
        }
        return hops.first.map { isPlausibleAddress($0) ? $0 : peer } ?? peer
    }

    /// Whether `text` looks like an IPv4 or IPv6 address (hex digits, dots, colons; bounded).
    static func isPlausibleAddress(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 45
            && text.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" }
    }

    /// Whether `address` is the loopback interface (the development mailbox's only audience).
    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    /// Whether `request` comes from this machine and was not forwarded: the only audience of
    /// the development-only routes (mailbox, captcha answers). A forwarded request is refused
    /// even from loopback: a reverse proxy on the same machine would otherwise hand those
    /// routes to the whole network.
    public static func isDirectFromThisMachine(_ request: HTTPRequest) -> Bool {
        isLoopback(request.remoteAddress) && !request.headers.contains("X-Forwarded-For")
            && !request.headers.contains("Forwarded")
    }
}
