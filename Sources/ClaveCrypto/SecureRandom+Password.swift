extension SecureRandom {
    /// Upper-case letters without look-alikes (no I, O).
    static let readableUpper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// Lower-case letters without look-alikes (no l, o).
    static let readableLower = Array("abcdefghijkmnpqrstuvwxyz")
    /// Digits without look-alikes (no 0, 1).
    static let readableDigits = Array("23456789")

    /// A random password people can read aloud and type: `groups` groups of four characters
    /// joined by `-` (`Kp7m-Rt4x-Wq9c`), from an alphabet without look-alikes (0/O, 1/l/I), with
    /// at least one upper-case letter, one lower-case letter and one digit, so it passes every
    /// portal's policy. Three groups carry about 69 bits: for generated and temporary passwords.
    public static func readablePassword(groups: Int = 3) throws(CryptoError) -> String {
        let count = max(1, groups) * 4
        let alphabet = readableUpper + readableLower + readableDigits
        while true {
            let characters = Array(try string(length: count, alphabet: alphabet))
            // Rejection keeps the distribution uniform over the passwords that qualify.
            guard characters.contains(where: readableUpper.contains), characters.contains(where: readableLower.contains),
                  characters.contains(where: readableDigits.contains) else { continue }
            return stride(from: 0, to: count, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
        }
    }
}
