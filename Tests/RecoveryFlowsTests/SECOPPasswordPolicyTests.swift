import RecoveryFlows
import Testing
import TestSupport

/// SECOP II's configuration of the shared password rules, from literals and the real list.
@Suite struct SECOPPasswordPolicyTests {
    let policy = SECOPPasswordPolicy(rules: PasswordPolicy(requiresUppercase: false, requiresLowercase: false,
                                                           requiresDigit: false,
                                                           commonPasswords: CommonPasswordList(["password1", "colombia2024"])))
    let gabriela = PersonalData(email: "compras@example.com", username: "gongoragabriela")

    @Test func noCompositionRulesALongLowerCasePassphraseIsFine() {
        #expect(policy.problems(password: "caballo bateria grapa", confirmation: "caballo bateria grapa", personalData: gabriela).isEmpty)
    }

    @Test func lengthBoundsAreInclusiveAndCountCharacters() {
        #expect(policy.problems(password: "abcdefg", confirmation: "abcdefg", personalData: .none) == [.rule(.tooShort)])
        #expect(policy.problems(password: "abcdefgh", confirmation: "abcdefgh", personalData: .none).isEmpty)
        // Eight characters, sixteen UTF-8 bytes: long enough.
        #expect(policy.problems(password: "ñññññññ1", confirmation: "ñññññññ1", personalData: .none).isEmpty)
        let longest = String(repeating: "x", count: 128)
        #expect(policy.problems(password: longest, confirmation: longest, personalData: .none).isEmpty)
        #expect(policy.problems(password: longest + "x", confirmation: longest + "x", personalData: .none) == [.rule(.tooLong)])
    }

    @Test func refusesTheUserNameInAnyCase() {
        #expect(policy.problems(password: "x1GONGORAGABRIELA", confirmation: "x1GONGORAGABRIELA", personalData: gabriela)
                == [.rule(.containsUsername)])
    }

    @Test func refusesCommonPasswordsInAnyCase() {
        #expect(policy.problems(password: "Colombia2024", confirmation: "Colombia2024", personalData: gabriela) == [.rule(.common)])
    }

    @Test func aMismatchedConfirmationComesLast() {
        #expect(policy.problems(password: "password1", confirmation: "otra", personalData: gabriela)
                == [.rule(.common), .mismatchedConfirmation])
        #expect(SECOPPasswordProblem.mismatchedConfirmation.message(policy: policy) == "La confirmación no coincide con la nueva contraseña.")
    }

    @Test func theRealListIsLoaded() throws {
        let real = try SECOPPasswordPolicy(resources: PackagePaths.resources)
        #expect(real.minimumLength == 8)
        #expect(real.problems(password: "123456789", confirmation: "123456789", personalData: .none) == [.rule(.common)])
        #expect(real.problems(password: "Nueva-Clave-9931", confirmation: "Nueva-Clave-9931", personalData: .none).isEmpty)
    }
}
