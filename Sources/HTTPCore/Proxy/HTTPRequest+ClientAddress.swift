extension HTTPRequest {
    /// The client this request is for: the socket peer, or, when the peer is one of
    /// `trustedProxies`, the right-most hop of its forwarding fields that is not itself trusted.
    ///
    /// - The fields are read only from a trusted peer: anyone else could pick their own address
    ///   and escape per-address rate limits.
    /// - They are read from the right: each proxy appends the peer it saw, so the right part is
    ///   written by proxies we trust and the left part by whoever connected first, who may lie.
    /// - `Forwarded` (RFC 7239) and `X-Forwarded-For` are both understood. When a request holds
    ///   both, they must name the same client, else this throws ``ForwardingError/conflicting``:
    ///   a proxy sets one of them and passes the other on as the client sent it, and nothing in
    ///   the request says which one the proxy wrote, so picking one would be a guess, and a
    ///   spoofable one. (Configure the proxy to drop the field it does not write; see README.)
    /// - `for=unknown` and obfuscated identifiers (`for=_hidden`) are returned as written: the
    ///   proxy chose not to reveal the address, and that identifier is the best key it gave us.
    /// - A hop list made only of trusted addresses names its left-most one.
    ///
    /// Throws ``ForwardingError`` (a 400 page) when a trusted peer's field does not parse.
    /// Addresses from the fields come back in canonical form (``IPAddress/description``); the
    /// socket peer comes back as the socket layer wrote it.
    public func clientAddress(trustedProxies: TrustedProxies) throws(ForwardingError) -> String {
        guard trustedProxies.contains(remoteAddress) else { return remoteAddress }
        let forwarded = headers.values("Forwarded"), xForwardedFor = headers.values("X-Forwarded-For")
        let fromForwarded = forwarded.isEmpty ? nil : Self.client(in: try ForwardingHeaders.forwarded(forwarded), trustedProxies)
        let fromXFF = xForwardedFor.isEmpty ? nil : Self.client(in: try ForwardingHeaders.xForwardedFor(xForwardedFor), trustedProxies)
        switch (fromForwarded, fromXFF) {
        case (nil, nil): return remoteAddress
        case (let one?, nil), (nil, let one?): return one
        case (let one?, let other?):
            guard one == other else { throw .conflicting }
            return one
        }
    }

    /// The right-most hop of `hops` (never empty) that is not a trusted address.
    private static func client(in hops: [ForwardedNode], _ trusted: TrustedProxies) -> String {
        for hop in hops.reversed() {
            if case .address(let address) = hop, trusted.contains(address) { continue }
            return hop.description
        }
        return hops.first?.description ?? ""
    }
}
