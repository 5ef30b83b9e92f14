import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// `PasswordPolicy`, rule by rule: each test breaks one rule and checks it is the only one named.
@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy(commonPasswords: CommonPasswordList(["password1", "qwerty123", "contraseña1"]))
    let luz = PersonalData(documentNumber: "1122334455", phone: "+57 300 123 4567",
                           birthDate: CalendarDate("1990-05-17"), email: "luz.mora@example.com",
                           username: "caribe77")

    @Test("a strong password breaks no rule")
    func acceptsStrong() {
        #expect(policy.violations(of: "Tinaja-Roja-38", personalData: luz) == [])
        #expect(policy.accepts("Tinaja-Roja-38", personalData: luz))
    }

    @Test("length: 7 characters is short, 8 is enough, over the maximum is too long")
    func length() {
        #expect(policy.violations(of: "Abcde1x") == [.tooShort])
        #expect(policy.violations(of: "Abcde1xy") == [])
        let long = "Aa1" + String(repeating: "x", count: 126)
        #expect(long.count == 129)
        #expect(policy.violations(of: long) == [.tooLong])
        #expect(policy.violations(of: String(long.dropLast())) == [])
    }

    @Test("length counts characters, not bytes")
    func lengthCountsCharacters() {
        // "ñ" and "é" are two UTF-8 bytes each; 7 characters stay short.
        #expect(policy.violations(of: "Ñandú1é") == [.tooShort])
    }

    @Test("each character class is required on its own")
    func characterClasses() {
        #expect(policy.violations(of: "tinajaroja38") == [.missingUppercase])
        #expect(policy.violations(of: "TINAJAROJA38") == [.missingLowercase])
        #expect(policy.violations(of: "TinajaRojaXY") == [.missingDigit])
        #expect(policy.violations(of: "abc") == [.tooShort, .missingUppercase, .missingDigit])
    }

    @Test("classes can be switched off")
    func classesOptional() {
        let relaxed = PasswordPolicy(requiresUppercase: false, requiresLowercase: false, requiresDigit: false)
        #expect(relaxed.violations(of: "tinajaroja") == [])
    }

    @Test("the common-password list is matched ignoring case")
    func common() {
        #expect(policy.violations(of: "Password1") == [.common])
        #expect(policy.violations(of: "QWERTY123x") == [])
        #expect(policy.violations(of: "Contraseña1") == [.common])
        #expect(PasswordPolicy().violations(of: "Password1") == [])
    }

    @Test("the shipped list loads once and refuses its well-known entries")
    func shippedList() throws {
        let list = try CommonPasswordList.shared(resources: PackagePaths.resources.path)
        #expect(list.count > 19_000)
        #expect(list.contains("Password1"))
        #expect(list.contains("IloveYou"))
        #expect(!list.contains("Tinaja-Roja-38"))
        let again = try CommonPasswordList.shared(resources: PackagePaths.resources.path)
        #expect(again.count == list.count)
    }

    @Test("a missing list file is a typed error")
    func missingList() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: CommonPasswordListError.unreadable(path: directory.path("nada.txt"))) {
            try CommonPasswordList(contentsOfFile: directory.path("nada.txt"))
        }
        let empty = directory.path("vacia.txt")
        try "\n \n".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: CommonPasswordListError.empty(path: empty)) { try CommonPasswordList(contentsOfFile: empty) }
    }

    @Test("the document number, whole, with separators, or six of its digits",
          arguments: ["Clave1122334455", "Xx1122-334455", "Casa334455Z", "Aa112233bb"])
    func document(password: String) {
        #expect(policy.violations(of: password, personalData: luz) == [.containsDocument])
    }

    @Test("five digits of the document are a coincidence, not the document")
    func documentFragmentTooShort() {
        #expect(policy.violations(of: "Casa34455Zq", personalData: luz) == [])
    }

    @Test("the phone number, with or without country code and spaces",
          arguments: ["Tel3001234567a", "Tel300 123 4567a", "Zz1234567zZ", "Mi+573001234567x"])
    func phone(password: String) {
        #expect(policy.violations(of: password, personalData: luz) == [.containsPhone])
    }

    @Test("the birth date in its usual forms",
          arguments: ["Luz19900517x", "Luz17051990x", "Luz05171990x", "Luz170590xx", "Luz900517xx",
                      "Luz1990-05-17", "Luz17/05/1990", "Luz17.05.1990", "Tinaja1705x", "Tinaja0517x",
                      "Tinaja1990x", "Tinaja17-05x"])
    func birthDate(password: String) {
        #expect(policy.violations(of: password, personalData: luz).contains(.containsBirthDate))
    }

    @Test("other dates pass")
    func otherDates() {
        #expect(policy.violations(of: "Tinaja1805x", personalData: luz) == [])
        #expect(policy.violations(of: "Tinaja1991x", personalData: luz) == [])
    }

    @Test("the email's name, whole or a long part, in any case",
          arguments: ["LUZ.MORA2026x", "Luzmora2026x", "Mora2026xyzW"])
    func emailName(password: String) {
        #expect(policy.violations(of: password, personalData: luz).contains(.containsEmailName))
    }

    @Test("short name parts do not count")
    func shortNameParts() {
        // "luz" is only three letters: a part, not the whole name, so it is allowed.
        #expect(policy.violations(of: "Luz-Tinaja-38", personalData: luz) == [])
    }

    @Test("the user name")
    func username() {
        #expect(policy.violations(of: "Caribe77-Tinaja", personalData: luz) == [.containsUsername])
    }

    @Test("personal data built from a stored user")
    func fromUser() throws {
        let data = PersonalData(documentNumber: "52111222", phone: "3015550000",
                                birthDate: CalendarDate("1988-11-30"), email: "ana@example.com")
        #expect(data.emailName == "ana")
        #expect(data.phoneDigits == "3015550000")
        #expect(policy.violations(of: "Ana-Tinaja-38", personalData: data) == [.containsEmailName])
        #expect(policy.violations(of: "Tinaja-3011-88", personalData: data) == [.containsBirthDate])
    }

    @Test("every violation has its own Spanish message, with the policy's numbers")
    func messages() {
        let all = PasswordViolation.allCases.map { $0.message(for: policy) }
        #expect(Set(all).count == PasswordViolation.allCases.count)
        #expect(PasswordViolation.tooShort.message(for: PasswordPolicy(minimumLength: 12)) == "Debe tener mínimo 12 caracteres.")
        #expect(policy.messages(for: "abc") == ["Debe tener mínimo 8 caracteres.", "Debe contener caracteres en mayúscula.",
                                                "Debe contener números."])
    }

    @Test("the listed requirements follow the guide's order")
    func requirements() {
        #expect(Array(policy.requirements.prefix(4)) == ["Mínimo 8 caracteres.", "Caracteres en mayúscula.",
                                                         "Caracteres en minúscula.", "Debe contener números."])
    }
}
