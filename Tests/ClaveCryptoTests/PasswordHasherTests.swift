import Testing
@testable import ClaveCrypto

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher(cost: .testing)

    @Test func hashVerifiesItsPasswordAndNoOther() throws {
        let stored = try hasher.hash("Correcto-Caballo-7")
        #expect(stored.hasPrefix("$scrypt$ln=4,r=8,p=1$"))
        #expect(try hasher.verify("Correcto-Caballo-7", against: stored))
        #expect(try !hasher.verify("correcto-Caballo-7", against: stored))
        #expect(try !hasher.verify("Correcto-Caballo-7 ", against: stored))
        #expect(try !hasher.verify("", against: stored))
    }

    @Test func saltsAreFreshEachTime() throws {
        let a = try hasher.hash("misma clave"), b = try hasher.hash("misma clave")
        #expect(a != b)
        #expect(try PasswordHash(parsing: a).salt.count == 16)
        #expect(try PasswordHash(parsing: a).hash.count == 32)
    }

    @Test func defaultCostHashesAtOWASPMinimumAndVerifies() throws {
        let real = PasswordHasher()
        let stored = try real.hash("Clave-Segura-2026")
        #expect(stored.hasPrefix("$scrypt$ln=14,r=8,p=5$"))
        #expect(try real.verify("Clave-Segura-2026", against: stored))
        #expect(!real.needsRehash(stored))
    }

    @Test func oldParametersStillVerifyAndAskForRehash() throws {
        let old = try hasher.hash("Clave-Vieja-1")
        let current = PasswordHasher(cost: .init(parameters: .init(logN: 5, r: 8, p: 1)))
        #expect(try current.verify("Clave-Vieja-1", against: old))
        #expect(current.needsRehash(old))
        #expect(!current.needsRehash(try current.hash("Clave-Vieja-1")))
        #expect(current.needsRehash("garbage"))
    }

    @Test func unicodeIsNormalizedNFKC() throws {
        // "é" precomposed vs "e" + combining acute; full-width digits vs ASCII; ligature "ﬁ" vs "fi".
        let stored = try hasher.hash("Caf\u{E9}-123-fin")
        #expect(try hasher.verify("Cafe\u{301}-123-fin", against: stored))
        #expect(try hasher.verify("Caf\u{E9}-\u{FF11}\u{FF12}\u{FF13}-\u{FB01}n", against: stored))
        #expect(try !hasher.verify("Cafe-123-fin", against: stored))
    }

    @Test func longPasswordsAreNotTruncated() throws {
        let long = String(repeating: "a", count: 200)
        let stored = try hasher.hash(long)
        #expect(try hasher.verify(long, against: stored))
        #expect(try !hasher.verify(String(long.dropLast()), against: stored))
        #expect(try !hasher.verify(long + "a", against: stored))
        let sixtyFour = String(repeating: "ñ", count: 64)
        #expect(try hasher.verify(sixtyFour, against: try hasher.hash(sixtyFour)))
    }

    @Test func absurdlyLongPasswordIsATypedError() {
        let huge = String(repeating: "x", count: PasswordHasher.maximumPasswordBytes + 1)
        #expect(throws: CryptoError.self) { try hasher.hash(huge) }
    }

    @Test func phcStringRoundTrips() throws {
        let parsed = PasswordHash(parameters: .init(logN: 14, r: 8, p: 5), salt: Array(0..<16), hash: Array(100..<132))
        let text = parsed.description
        #expect(text.hasPrefix("$scrypt$ln=14,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$"))
        #expect(!text.split(separator: "$").suffix(2).joined().contains("="), "no base64 padding")
        #expect(try PasswordHash(parsing: text) == parsed)
    }

    @Test(arguments: [
        "", "$scrypt$", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "$scrypt$ln=14,r=8$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$r=8,ln=14,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=014,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=-1,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=40,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=14,r=8,p=5$AAEC$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=14,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVm",
        "$scrypt$ln=14,r=8,p=5$AAECAwQFBgcICQoLDA0ODw==$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
        "$scrypt$ln=14,r=8,p=5$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw$",
        "$scrypt$ln=14,r=8,p=5$AAECAwQF-gcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fw",
    ])
    func malformedPHCStringsAreRejected(_ text: String) {
        #expect(throws: CryptoError.self) { try PasswordHash(parsing: text) }
        #expect(throws: CryptoError.self) { try hasher.verify("x", against: text) }
    }
}

@Suite struct ReadablePasswordTests {
    @Test func groupsOfFourWithEveryClassAndNoLookAlikes() throws {
        var seen = Set<String>()
        for _ in 0..<200 {
            let password = try SecureRandom.readablePassword()
            let groups = password.split(separator: "-")
            #expect(groups.count == 3 && groups.allSatisfy { $0.count == 4 })
            #expect(password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase) && password.contains(where: \.isNumber))
            #expect(!password.contains(where: { "0O1lI".contains($0) }))
            seen.insert(password)
        }
        #expect(seen.count == 200)
        #expect(try SecureRandom.readablePassword(groups: 5).count == 24)
    }
}
