import HTTPCore

/// What must hold for any input to the address, block and forwarding-field parsers (checked
/// with `precondition`, so a violation is a crash libFuzzer keeps):
/// - an address that parses prints canonical text that parses back to it;
/// - a block that parses prints text that parses back to it, and contains its own address;
/// - from a trusted peer, the forwarding fields (the lines after the first byte, as `Forwarded`
///   when that byte is even, else `X-Forwarded-For`, or both when it is a multiple of 3) give
///   either ``ForwardingError`` or a client that is the peer, a canonical address, `unknown`
///   or an obfuscated identifier; from an untrusted peer they are never read.
enum ForwardedInvariants {
    static let trusted = TrustedProxies(networks: ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"].compactMap(IPNetwork.init))

    static func check(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        if let address = IPAddress(text) {
            precondition(IPAddress(address.description) == address, "address text does not parse back")
            precondition(address.description.count <= 39, "address text too long")
        }
        if let network = IPNetwork(text) {
            precondition(IPNetwork(network.description) == network, "block text does not parse back")
            precondition(network.contains(network.address), "block without its own address")
        }

        let selector = input.first ?? 0
        var headers = HTTPHeaders()
        for line in String(decoding: input.dropFirst(), as: UTF8.self).split(separator: "\n") {
            if selector % 2 == 0 || selector % 3 == 0 { headers.add("Forwarded", String(line)) }
            if selector % 2 == 1 || selector % 3 == 0 { headers.add("X-Forwarded-For", String(line)) }
        }
        let head = HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: headers)
        let stranger = HTTPRequest(head: head, remoteAddress: "192.0.2.1")
        precondition((try? stranger.clientAddress(trustedProxies: trusted)) == "192.0.2.1", "an untrusted peer's fields were read")
        let proxied = HTTPRequest(head: head, remoteAddress: "127.0.0.1")
        guard let client = try? proxied.clientAddress(trustedProxies: trusted) else { return }
        let isAddress = IPAddress(client)?.description == client
        precondition(client == "127.0.0.1" || isAddress || client == "unknown" || client.hasPrefix("_"), "odd client \(client)")
    }
}
