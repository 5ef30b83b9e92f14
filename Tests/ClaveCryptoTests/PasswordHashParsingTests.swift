import Testing
import TestSupport
@testable import ClaveCrypto

/// The PHC parser reads strings from the database: every prefix of a valid string and random
/// mutations of it must give a typed error or a faithful parse, never a crash.
@Suite struct PasswordHashParsingTests {
    static let valid = "$scrypt$ln=14,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM"

    @Test func everyProperPrefixIsRejected() throws {
        let text = Array(Self.valid)
        #expect(try PasswordHash(parsing: Self.valid).description == Self.valid)
        for split in 0..<text.count {
            let prefix = String(text[..<split])
            // A prefix that stops inside the base64 hash can still be a well-formed shorter hash;
            // then it must at least round-trip to itself.
            if let parsed = try? PasswordHash(parsing: prefix) {
                #expect(parsed.description == prefix, "prefix \(split)")
                #expect(parsed.hash.count >= 16)
            }
        }
        // Cutting anywhere before the hash field always fails.
        let hashField = try #require(Self.valid.range(of: "$ZGVm"))
        let hashStart = Self.valid.distance(from: Self.valid.startIndex, to: hashField.lowerBound)
        for split in 0...hashStart + 1 {
            #expect(throws: CryptoError.self) { try PasswordHash(parsing: String(text[..<split])) }
        }
    }

    @Test func randomMutationsNeverCrash() {
        var generator = SeededRandom(seed: 0xC1A7E)
        let alphabet = Array("$=,lnrp0123456789ABCDEFabcdef+/-_ \u{0}ñ")
        for _ in 0..<5_000 {
            var text = Array(Self.valid)
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(text.count))
                switch generator.next() % 3 {
                case 0: text[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: text.remove(at: position)
                default: text.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
                if text.isEmpty { break }
            }
            let candidate = String(text)
            if let parsed = try? PasswordHash(parsing: candidate) {
                #expect(parsed.parameters.isWithinLimits)
                #expect((try? PasswordHash(parsing: parsed.description)) == parsed)
            }
        }
    }
}

