import Testing
@testable import HTTPCore

/// Addresses and blocks as `--trusted-proxy` reads them, and membership as the client-address
/// rules ask it, including a dual-stack socket's IPv4-mapped peer.
struct TrustedProxiesTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("2001:db8::1", "2001:db8::1"), ("::", "::"), ("::1", "::1"),
        ("1::", "1::"), ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"), ("::FFFF:10.0.0.1", "10.0.0.1"), ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),
    ])
    func addressesParseToCanonicalText(text: String, canonical: String) throws {
        #expect(try #require(IPAddress(text)).description == canonical)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d",
        ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::2", "1::2:", "12345::", "g::1", "1:2:3:4:5:6:7", "[::1]",
        "::1%eth0", "::ffff:1.2.3", "1.2.3.4::", "localhost", "unknown", "_hidden",
    ])
    func garbageIsNotAnAddress(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func blocksContainTheirMembersOnly() throws {
        let v4 = try #require(IPNetwork("10.1.2.3/8"))
        #expect(v4.description == "10.0.0.0/8")
        #expect(v4.contains(try #require(IPAddress("10.255.0.1"))))
        #expect(!v4.contains(try #require(IPAddress("11.0.0.1"))))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        let odd = try #require(IPNetwork("192.0.2.128/25"))
        #expect(try odd.contains(#require(IPAddress("192.0.2.200"))) && !odd.contains(#require(IPAddress("192.0.2.127"))))
    }

    @Test func prefixZeroIsAFamilyAndFullPrefixIsOneAddress() throws {
        let everyV4 = try #require(IPNetwork("0.0.0.0/0")), everyV6 = try #require(IPNetwork("::/0"))
        #expect(everyV4.contains(try #require(IPAddress("203.0.113.9"))))
        #expect(!everyV4.contains(try #require(IPAddress("2001:db8::1"))))
        #expect(everyV6.contains(try #require(IPAddress("2001:db8::1"))))
        #expect(!everyV6.contains(try #require(IPAddress("203.0.113.9"))))
        let one = try #require(IPNetwork("192.0.2.1/32")), oneV6 = try #require(IPNetwork("2001:db8::1/128"))
        #expect(try one.contains(#require(IPAddress("192.0.2.1"))) && !one.contains(#require(IPAddress("192.0.2.2"))))
        #expect(try oneV6.contains(#require(IPAddress("2001:db8::1"))) && !oneV6.contains(#require(IPAddress("2001:db8::2"))))
        #expect(IPNetwork("192.0.2.1") == one)
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/08x", "/8",
                      "::ffff:10.0.0.0/95", "example.com", "10.0.0.0 /8"])
    func malformedBlocksAreRefused(text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func anIPv4MappedPeerMatchesAnIPv4Entry() throws {
        let proxies = try TrustedProxies(["127.0.0.1", " 10.0.0.0/8 ", "::ffff:192.0.2.0/120"])
        #expect(proxies.contains("::ffff:127.0.0.1"))
        #expect(proxies.contains("::ffff:10.9.8.7"))
        #expect(proxies.contains("192.0.2.44"))
        #expect(!proxies.contains("::1"))
        #expect(!proxies.contains("not an address"))
        #expect(proxies.description == "127.0.0.1/32,10.0.0.0/8,192.0.2.0/24")
    }

    @Test func theFirstBadEntryIsNamed() {
        #expect(throws: TrustedProxies.InvalidEntry(text: "10.0.0.300")) { try TrustedProxies(["127.0.0.1", "10.0.0.300", "x"]) }
        #expect(throws: TrustedProxies.InvalidEntry(text: "")) { try TrustedProxies([""]) }
        #expect(TrustedProxies.none.isEmpty && !TrustedProxies.none.contains("127.0.0.1"))
    }
}
