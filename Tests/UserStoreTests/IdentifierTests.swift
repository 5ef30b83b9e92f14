import Testing
import UserStore

/// ``Identifier``: the one normal form of user names, emails and document numbers, and the
/// characters it refuses.
@Suite struct IdentifierTests {
    @Test(arguments: [
        ("demo.secop", "demo.secop"), ("  Demo.Secop ", "demo.secop"), ("ＤＥＭＯ.ＳＥＣＯＰ", "demo.secop"),
        ("ｄｅｍｏ．ｓｅｃｏｐ\u{3000}", "demo.secop"), ("\u{00A0}Ana@Example.COM", "ana@example.com"),
        ("９００１２３４５６－８", "900123456-8"), ("Ｋ", "k"),
    ])
    func spellingsOfOneIdentifierHaveOneKey(_ typed: String, _ key: String) throws {
        let identifier = try Identifier(typed)
        #expect(identifier.key == key)
        #expect(Identifier.normalize(typed) == key)
        #expect(Identifier.normalize(identifier.key) == identifier.key, "idempotent")
    }

    @Test func theValueKeepsCaseAndDropsOnlySurroundingSpaces() throws {
        #expect(try Identifier("  Ｄｅｍｏ.Secop ").value == "Demo.Secop")
    }

    @Test(arguments: ["demo.secop\u{0}x", "\u{0}", "demo\u{7}", "demo\u{7F}", "demo\u{85}", "demo.secop\n", "\tdemo",
                      "demo\u{200B}.secop", "\u{FEFF}demo", "demo\u{202E}", "demo\u{200D}secop", "demo\u{AD}secop"])
    func controlAndInvisibleCharactersAreRefusedAnywhere(_ typed: String) {
        #expect(throws: IdentifierError.controlCharacter) { try Identifier(typed) }
    }

    @Test func nothingButSpacesIsEmpty() {
        #expect(throws: IdentifierError.empty) { try Identifier("") }
        #expect(throws: IdentifierError.empty) { try Identifier(" \u{3000} ") }
    }

    @Test func passwordsMayKeepTheJoinControlsOfEmojiSequences() {
        #expect(!ControlCharacters.contains("👨‍👩‍👧", allowingJoinControls: true))
        #expect(ControlCharacters.contains("👨‍👩‍👧"))
        #expect(ControlCharacters.contains("a\u{200B}b", allowingJoinControls: true))
        #expect(ControlCharacters.contains("a\u{0}b", allowingJoinControls: true))
    }
}
