import Testing
@testable import ClaveCrypto

/// RFC 7914 §12 test vectors (the two cheap ones; the N=1048576 vector needs 1 GiB).
@Suite struct ScryptVectorTests {
    @Test func rfc7914EmptyPasswordN16() throws {
        let key = try Scrypt.derive(password: [], salt: [], parameters: .init(logN: 4, r: 1, p: 1), length: 64)
        #expect(Hex.encode(key) == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
    }

    @Test func rfc7914PasswordNaClN1024() throws {
        let key = try Scrypt.derive(password: Array("password".utf8), salt: Array("NaCl".utf8),
                                    parameters: .init(logN: 10, r: 8, p: 16), length: 64)
        #expect(Hex.encode(key) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func parametersOutOfRangeAreRefusedBeforeLibcrypto() {
        for parameters in [Scrypt.Parameters(logN: 0, r: 8, p: 1), .init(logN: 23, r: 8, p: 1),
                           .init(logN: 10, r: 0, p: 1), .init(logN: 10, r: 33, p: 1),
                           .init(logN: 10, r: 8, p: 0), .init(logN: 10, r: 8, p: 17)] {
            #expect(throws: CryptoError.self) {
                try Scrypt.derive(password: [1], salt: [2], parameters: parameters, length: 32)
            }
        }
    }

    @Test func defaultCostNeedsAboutSixteenMebibytes() {
        let memory = PasswordHasher.Cost.default.parameters.memoryBytes
        #expect(memory > 16 * 1024 * 1024 && memory < 17 * 1024 * 1024)
    }
}
