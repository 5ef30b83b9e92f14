/// The characters a captcha may contain: letters and digits a person cannot mistake for one
/// another, even case-sensitively and distorted.
///
/// Left out, and why:
/// - digit/letter pairs: `0 O o Q D` (round), `1 I l i j` (bars), `2 Z z`, `5 S s`, `8 B`,
///   `6 G b`, `9 g q`;
/// - letters whose capital and small forms differ only in size, which a warped image hides:
///   `C c`, `K k`, `O o`, `P p`, `S s`, `U u`, `V v`, `W w`, `X x`, `Z z`; and `F`, `Y` are
///   kept only as capitals (`f` is close to `t`, `y` to `Y`);
/// - small letters with descenders (`g p q y`), which noise lines clip.
///
/// What remains: `A E F H J L M N R T Y`, `a d e h m n r t`, `3 4 6 7 9` (24 characters,
/// about 4.6 bits each, so six characters give some 27 bits against guessing).
public struct CaptchaAlphabet: Sendable, Equatable {
    /// The characters, in a fixed order.
    public let characters: [Character]

    /// The default alphabet described above; every character has a glyph in ``CaptchaFont``.
    public static let standard = CaptchaAlphabet(unchecked: Array("AEFHJLMNRTYadehmnrt34679"))

    /// An alphabet limited to `characters` that the font can draw, duplicates dropped;
    /// `nil` when fewer than two remain.
    public init?(_ characters: String) {
        var seen = Set<Character>()
        let kept = characters.filter { CaptchaFont.glyph(for: $0) != nil && seen.insert($0).inserted }
        guard kept.count >= 2 else { return nil }
        self.characters = Array(kept)
    }

    private init(unchecked characters: [Character]) {
        self.characters = characters
    }

    /// Whether `character` may appear in a captcha.
    public func contains(_ character: Character) -> Bool {
        characters.contains(character)
    }

    /// A random string of `length` characters drawn uniformly from the alphabet.
    public func randomText(length: Int, using random: inout some RandomNumberGenerator) -> String {
        String((0..<max(0, length)).map { _ in characters[Int.random(in: 0..<characters.count, using: &random)] })
    }
}
