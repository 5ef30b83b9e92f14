import RecoveryFlows
import Testing

/// SECOP II's password rules, from literals.
@Suite struct SecopPasswordPolicyTests {
    let policy = SecopPasswordPolicy(commonPasswords: ["password1", "colombia2024"])

    @Test func acceptsALongUncommonPassword() {
        #expect(policy.problems(password: "Nueva-Clave-9931", confirmation: "Nueva-Clave-9931", username: "ana").isEmpty)
    }

    @Test func lengthBoundsAreInclusive() {
        #expect(policy.problems(password: "abcdefg", confirmation: "abcdefg", username: "u") == [.tooShort])
        #expect(policy.problems(password: "abcdefgh", confirmation: "abcdefgh", username: "u").isEmpty)
        let longest = String(repeating: "x", count: 128)
        #expect(policy.problems(password: longest, confirmation: longest, username: "u").isEmpty)
        #expect(policy.problems(password: longest + "x", confirmation: longest + "x", username: "u") == [.tooLong])
    }

    @Test func countsCharactersNotBytes() {
        // Eight characters, sixteen UTF-8 bytes: long enough.
        #expect(policy.problems(password: "ñññññññ1", confirmation: "ñññññññ1", username: "u").isEmpty)
    }

    @Test func refusesTheUserNameInAnyCase() {
        #expect(policy.problems(password: "GongoraGabriela", confirmation: "GongoraGabriela", username: "gongoragabriela")
                == [.containsUsername])
        #expect(policy.problems(password: "x1GONGORAGABRIELA", confirmation: "x1GONGORAGABRIELA", username: "gongoragabriela")
                == [.containsUsername])
    }

    @Test func refusesCommonPasswordsInAnyCase() {
        #expect(policy.problems(password: "Colombia2024", confirmation: "Colombia2024", username: "u") == [.common])
    }

    @Test func listsEveryProblemAtOnce() {
        #expect(policy.problems(password: "password1", confirmation: "otra", username: "password")
                == [.containsUsername, .common, .mismatchedConfirmation])
    }

    @Test func theRealListIsLoadedAndWordsEachRuleInSpanish() throws {
        let real = try SecopFixture.policy()
        #expect(real.commonPasswords.count > 19_000)
        #expect(real.commonPasswords.contains("123456789"))
        for problem in SecopPasswordProblem.allCases {
            #expect(!problem.message(policy: real).isEmpty)
        }
        #expect(SecopPasswordProblem.tooShort.message(policy: real) == "La contraseña debe tener al menos 8 caracteres.")
    }
}
