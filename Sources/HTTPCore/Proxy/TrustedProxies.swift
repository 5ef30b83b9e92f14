/// The reverse proxies whose forwarding headers (`Forwarded`, `X-Forwarded-For`) are believed:
/// address blocks, IPv4 and IPv6 (``IPNetwork``). Empty by default: the client is the socket peer.
///
/// `clave serve --trusted-proxy CIDR` (repeatable) or `CLAVE_TRUSTED_PROXIES` (comma-separated)
/// fill it; a value that is not an address or block stops start-up.
///
/// ```swift
/// let proxies = try TrustedProxies(["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"])
/// proxies.contains("::ffff:10.1.2.3")  // true: the IPv4-mapped form of a member
/// ```
public struct TrustedProxies: Hashable, Sendable, CustomStringConvertible {
    /// The blocks, in the order given.
    public let networks: [IPNetwork]

    /// No proxy is trusted.
    public static let none = TrustedProxies(networks: [])

    /// The given blocks.
    public init(networks: [IPNetwork]) { self.networks = networks }

    /// Parses each of `texts` as an address or CIDR block (surrounding spaces ignored); throws
    /// ``InvalidEntry`` naming the first that is neither.
    public init(_ texts: [String]) throws(InvalidEntry) {
        var networks: [IPNetwork] = []
        for text in texts {
            let trimmed = text.trimmingASCIISpaces
            guard let network = IPNetwork(trimmed) else { throw InvalidEntry(text: text) }
            networks.append(network)
        }
        self.networks = networks
    }

    /// A value that is neither an IP address nor a CIDR block.
    public struct InvalidEntry: Error, Sendable, Equatable, CustomStringConvertible {
        /// The value as given.
        public let text: String
        public var description: String {
            "'\(text)' is not an IP address or CIDR block (such as 127.0.0.1, 10.0.0.0/8 or 2001:db8::/32)"
        }
    }

    /// Whether no proxy is trusted.
    public var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` is inside one of the blocks.
    public func contains(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// Whether `text` is an IP address inside one of the blocks (a socket peer's text, for one).
    /// Free when no proxy is trusted: the event loop asks it for every request.
    public func contains(_ text: String) -> Bool {
        guard !networks.isEmpty, let address = IPAddress(text) else { return false }
        return contains(address)
    }

    /// The blocks, comma-separated.
    public var description: String { networks.map(\.description).joined(separator: ",") }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's OWS).
    var trimmingASCIISpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let text = Substring(self)
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return text[start...end]
    }
}
