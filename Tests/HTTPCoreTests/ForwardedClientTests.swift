import Testing
@testable import HTTPCore

/// Whom a request is for, from `Forwarded` (RFC 7239) and `X-Forwarded-For`: read only from a
/// trusted peer, from the right, a malformed field refused rather than guessed around.
struct ForwardedClientTests {
    static let proxies = TrustedProxies(networks: ["127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"].compactMap(IPNetwork.init))

    static func client(peer: String = "127.0.0.1", _ fields: [(String, String)]) throws(ForwardingError) -> String {
        var headers = HTTPHeaders()
        for (name, value) in fields { headers.add(name, value) }
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: headers), remoteAddress: peer)
        return try request.clientAddress(trustedProxies: proxies)
    }

    @Test func anUntrustedPeerIsTheClientWhateverItSends() throws {
        #expect(try Self.client(peer: "203.0.113.5", [("X-Forwarded-For", "198.51.100.1")]) == "203.0.113.5")
        #expect(try Self.client(peer: "203.0.113.5", [("Forwarded", "for=198.51.100.1")]) == "203.0.113.5")
        // Not even parsed: garbage from a stranger is the stranger's problem, not a 400.
        #expect(try Self.client(peer: "203.0.113.5", [("Forwarded", "for=\"[")]) == "203.0.113.5")
        #expect(try Self.client(peer: "::ffff:203.0.113.5", [("X-Forwarded-For", "1.1.1.1")]) == "::ffff:203.0.113.5")
    }

    @Test func aTrustedPeerWithoutFieldsIsTheClient() throws {
        #expect(try Self.client([]) == "127.0.0.1")
        #expect(try Self.client(peer: "::ffff:127.0.0.1", []) == "::ffff:127.0.0.1")
    }

    @Test func forwardedIsReadFromTheRightSkippingTrustedHops() throws {
        // RFC 7239 §4 examples.
        #expect(try Self.client([("Forwarded", "for=\"_gazonk\"")]) == "_gazonk")
        #expect(try Self.client([("Forwarded", "For=\"[2001:db8:cafe::17]:4711\"")]) == "2001:db8:cafe::17")
        #expect(try Self.client([("Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")]) == "192.0.2.60")
        #expect(try Self.client([("Forwarded", "for=192.0.2.43, for=198.51.100.17")]) == "198.51.100.17")
        #expect(try Self.client([("Forwarded", "for=192.0.2.43, for=\"[2001:db8:ffff::1]\", for=10.1.1.1")]) == "192.0.2.43")
        #expect(try Self.client([("Forwarded", "for=192.0.2.43"), ("Forwarded", "for=10.0.0.7;proto=https")]) == "192.0.2.43")
        #expect(try Self.client([("Forwarded", "for=\"192.0.2.43:8080\"")]) == "192.0.2.43")
        #expect(try Self.client([("Forwarded", "for=\"[::ffff:192.0.2.43]:_port\"")]) == "192.0.2.43")
    }

    @Test func unknownAndObfuscatedHopsAreTheClientAsWritten() throws {
        #expect(try Self.client([("Forwarded", "for=unknown")]) == "unknown")
        #expect(try Self.client([("Forwarded", "for=192.0.2.1, for=_hidden, for=10.0.0.1")]) == "_hidden")
        #expect(try Self.client([("Forwarded", "for=192.0.2.1, proto=https")]) == "unknown")
    }

    @Test func xForwardedForIsReadFromTheRightSkippingTrustedHops() throws {
        #expect(try Self.client([("X-Forwarded-For", "198.51.100.1, 192.0.2.9")]) == "192.0.2.9")
        #expect(try Self.client([("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-For", "192.0.2.9, 10.0.0.1")]) == "192.0.2.9")
        #expect(try Self.client([("X-Forwarded-For", "2001:DB8::1, 127.0.0.1")]) == "2001:db8::1")
        #expect(try Self.client([("X-Forwarded-For", "[2001:db8::1]:443")]) == "2001:db8::1")
        #expect(try Self.client([("X-Forwarded-For", "192.0.2.9:5000,")]) == "192.0.2.9")
        #expect(try Self.client([("X-Forwarded-For", "10.0.0.2, 10.0.0.3")]) == "10.0.0.2")
    }

    @Test(arguments: [
        "for=", "for", "=192.0.2.1", "for=192.0.2.1;for=192.0.2.2", "for=2001:db8::1", "for=\"2001:db8::1\"",
        "for=\"[2001:db8::1\"", "for=\"[2001:db8::1]x\"", "for=\"[192.0.2.1]\"", "for=\"192.0.2.1:99999\"",
        "for=\"192.0.2.1\" x", "for=\"unterminated", "for=_", "for=example.com", "fo r=192.0.2.1", "", " , ",
        "for=192.0.2.1;by", "for=\"_a\\\"b\"",
    ])
    func malformedForwardedFromATrustedPeerIsA400(value: String) {
        #expect(throws: ForwardingError.malformedForwarded) { try Self.client([("Forwarded", value)]) }
    }

    @Test(arguments: ["unknown", "192.0.2.1, <script>", "192.0.2.1 198.51.100.1", "1.2.3.4:", "2001:db8::1:80x", "", ",,",
                      "_hidden", "[192.0.2.1]"])
    func malformedXForwardedForFromATrustedPeerIsA400(value: String) {
        #expect(throws: ForwardingError.malformedXForwardedFor) { try Self.client([("X-Forwarded-For", value)]) }
    }

    @Test func bothFieldsMustNameTheSameClient() throws {
        #expect(try Self.client([("Forwarded", "for=192.0.2.9"), ("X-Forwarded-For", "192.0.2.9")]) == "192.0.2.9")
        #expect(try Self.client([("Forwarded", "for=\"[2001:db8::1]\""), ("X-Forwarded-For", "2001:0db8::0001")]) == "2001:db8::1")
        #expect(throws: ForwardingError.conflicting) {
            try Self.client([("Forwarded", "for=198.51.100.66"), ("X-Forwarded-For", "192.0.2.9")])
        }
        #expect(ForwardingError.conflicting.status == .badRequest)
    }
}
