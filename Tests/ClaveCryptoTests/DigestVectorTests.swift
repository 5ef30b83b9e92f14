import Testing
@testable import ClaveCrypto

/// Published vectors: FIPS 180-2 Appendix B (SHA-256) and RFC 4231 (HMAC-SHA256).
@Suite struct DigestVectorTests {
    @Test func sha256OfABC() {
        #expect(Hex.encode(SHA256.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256OfTwoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(Hex.encode(SHA256.hash(message)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func sha256OfEmptyInput() {
        #expect(Hex.encode(SHA256.hash("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hmacRFC4231Case1() {
        let key = [UInt8](repeating: 0x0b, count: 20)
        let mac = HMACSHA256.authenticate(Array("Hi There".utf8), key: key)
        #expect(Hex.encode(mac) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func hmacRFC4231Case2() {
        let mac = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func base64URLRoundTripsEveryLength() throws {
        for length in 0..<40 {
            let bytes = try SecureRandom.bytes(length)
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.decode("not base64!") == nil)
    }

    @Test func tokensAreLongAndDistinct() throws {
        let a = try SecureRandom.token(), b = try SecureRandom.token()
        #expect(a.count == 43)
        #expect(a != b)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
    }

    @Test func sha256OfOneMillionAs() {
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacRFC4231Case3() {
        let mac = HMACSHA256.authenticate([UInt8](repeating: 0xdd, count: 50), key: [UInt8](repeating: 0xaa, count: 20))
        #expect(Hex.encode(mac) == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func hmacRFC4231Case4() {
        let mac = HMACSHA256.authenticate([UInt8](repeating: 0xcd, count: 50), key: Array(UInt8(1)...UInt8(25)))
        #expect(Hex.encode(mac) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func hmacRFC4231Case5Truncated() {
        let mac = HMACSHA256.authenticate(Array("Test With Truncation".utf8), key: [UInt8](repeating: 0x0c, count: 20))
        #expect(Hex.encode(mac.prefix(16)) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test func hmacRFC4231Case6KeyLargerThanBlock() {
        let mac = HMACSHA256.authenticate(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                                          key: [UInt8](repeating: 0xaa, count: 131))
        #expect(Hex.encode(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hmacRFC4231Case7KeyAndDataLargerThanBlock() {
        let data = "This is a test using a larger than block-size key and a larger than block-size data. "
            + "The key needs to be hashed before being used by the HMAC algorithm."
        let mac = HMACSHA256.authenticate(Array(data.utf8), key: [UInt8](repeating: 0xaa, count: 131))
        #expect(Hex.encode(mac) == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
        #expect(HMACSHA256.verify(mac, message: Array(data.utf8), key: [UInt8](repeating: 0xaa, count: 131)))
        #expect(!HMACSHA256.verify(mac, message: Array((data + ".").utf8), key: [UInt8](repeating: 0xaa, count: 131)))
    }

    @Test func tokensOfAnySizeCarryTheirBits() throws {
        // 16 bytes = 128 bits, the floor for reset tokens: 22 base64url characters.
        let token = try SecureRandom.token(bytes: 16)
        #expect(token.count == 22)
        #expect(Base64URL.decode(token)?.count == 16)
        #expect(throws: CryptoError.self) { try SecureRandom.token(bytes: 15) }
    }
}
