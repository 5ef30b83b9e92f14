import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Password rules judge what is hashed: the NFKC form (`PasswordHasher.normalized`, NIST SP
/// 800-63B §5.1.1.2), whose UTF-8 must fit the hasher's cap. Over HTTP on the three change
/// forms (SECOP's link page, Cajacopi's new-password page, SOI's Cambio de Clave), plus the
/// policy alone for what a 4 KiB form body cannot carry.
@Suite struct PasswordNormalizationTests {
    typealias Demo = AppHarness.Demo

    /// A change form reached the way its user reaches it, ready to submit new passwords.
    struct ChangeForm {
        let browser: WebClient
        let page: WebResponse
        let action: String
        let fields: (String, String) -> [String: String]

        func submit(_ password: String, confirmation: String? = nil) throws -> WebResponse {
            try browser.submit(page, to: action, fields(password, confirmation ?? password))
        }
    }

    enum Portal: String, CaseIterable, Sendable { case secop, cajacopi, soi }

    /// The portal's change form for its demo user: SECOP's and Cajacopi's from an emailed link,
    /// SOI's after logging in.
    static func changeForm(_ portal: Portal, in harness: AppHarness) throws -> ChangeForm {
        let browser = harness.browser()
        switch portal {
        case .secop:
            #expect(try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": Demo.secopUser]).status == 200)
            let link = try #require(try harness.waitForMail(to: Demo.secopEmail).linkPath(startingWith: "/secop/cambiar-contrasena"))
            let page = try browser.get(link)
            let token = try #require(page.hiddenField("token"))
            return ChangeForm(browser: browser, page: page, action: "/secop/cambiar-contrasena") {
                ["token": token, "contrasena_nueva": $0, "contrasena_confirmacion": $1]
            }
        case .cajacopi:
            #expect(try browser.requestCajacopiReset(email: Demo.cajacopiEmail).status == 200)
            let link = try #require(try harness.waitForMail(to: Demo.cajacopiEmail).linkPath(startingWith: "/cajacopi/nueva-contrasena"))
            let page = try browser.get(link)
            let token = try #require(page.hiddenField("token"))
            return ChangeForm(browser: browser, page: page, action: "/cajacopi/nueva-contrasena") {
                ["token": token, "contrasena_nueva": $0, "contrasena_confirmacion": $1]
            }
        case .soi:
            let login = try browser.fillAndSubmit("/soi/ingreso", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8",
                                                                  "usuario_tipo": "CC", "usuario_numero": "1020304050",
                                                                  "clave": Demo.soiPassword])
            #expect(login.status == 303)
            return ChangeForm(browser: browser, page: try browser.get("/soi/cambio-clave"), action: "/soi/cambio-clave") {
                ["clave_actual": Demo.soiPassword, "clave_nueva": $0, "clave_confirmacion": $1]
            }
        }
    }

    /// The login form's fields for the portal's demo user with `password`.
    static func login(_ portal: Portal, _ password: String) -> (String, [String: String]) {
        switch portal {
        case .secop: ("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": password])
        case .cajacopi: ("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": password])
        case .soi: ("/soi/ingreso", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC",
                                     "usuario_numero": "1020304050", "clave": password])
        }
    }

    @Test(arguments: Portal.allCases)
    func aFullWidthCommonPasswordIsRefusedOnEveryChangeForm(_ portal: Portal) throws {
        let harness = try AppHarness()
        let form = try Self.changeForm(portal, in: harness)
        // NFKC «Ｐａｓｓｗｏｒｄ１２３» is "Password123": upper, lower, digits, and on the block list.
        let refused = try form.submit("Ｐａｓｓｗｏｒｄ１２３")
        #expect(refused.status == 422)
        #expect(refused.text.contains("demasiado común"))
        // Nothing changed: the ASCII spelling, which the full-width one would have hashed as, does not log in.
        let (path, fields) = Self.login(portal, "Password123")
        #expect(try harness.browser().fillAndSubmit(path, fields).status == 422)
    }

    @Test(arguments: Portal.allCases)
    func aPasswordOverTheHashersByteCapIsAFieldErrorNotA500OnEveryChangeForm(_ portal: Portal) throws {
        let harness = try AppHarness()
        let form = try Self.changeForm(portal, in: harness)
        // 40 characters as typed (a few hundred bytes on the wire), but each U+FDFA is 33 bytes
        // in NFKC: 1,064 bytes, past PasswordHasher.maximumPasswordBytes.
        let password = "Clave-9x" + String(repeating: "\u{FDFA}", count: 32)
        #expect(password.count <= 128)
        #expect((try? PasswordHasher.normalizedBytes(password)) == nil)
        let refused = try form.submit(password)
        #expect(refused.status == 422)
        // SOI shows the first rule broken (576 characters in NFKC: too long), the others all of them.
        #expect(refused.text.contains("demasiado larga") || refused.text.contains("máximo 128 caracteres"))
        // The form is still usable: a good password goes through afterwards.
        #expect([200, 303].contains(try form.submit("Otra-Clave-Buena-2026").status))
    }

    @Test(arguments: Portal.allCases)
    func aControlCharacterInANewPasswordIsAFieldErrorOnEveryChangeForm(_ portal: Portal) throws {
        let harness = try AppHarness()
        let form = try Self.changeForm(portal, in: harness)
        for password in ["Clave-Buena-2026\u{0}", "Clave\u{200B}-Buena-2026", "Clave-Buena-2026\n"] {
            let refused = try form.submit(password)
            #expect(refused.status == 422)
            #expect(refused.text.contains("caracteres de control"))
        }
        let (path, fields) = Self.login(portal, "Clave-Buena-2026")
        #expect(try harness.browser().fillAndSubmit(path, fields).status == 422, "no password was changed")
    }

    @Test(arguments: Portal.allCases)
    func aPasswordSetInFullWidthLogsInTypedEitherWay(_ portal: Portal) throws {
        let harness = try AppHarness()
        let form = try Self.changeForm(portal, in: harness)
        // The confirmation typed in ASCII is the same password: both are hashed as NFKC.
        #expect([200, 303].contains(try form.submit("Ｎｕｅｖａ-Ｃｌａｖｅ-９９３１", confirmation: "Nueva-Clave-9931").status))
        for typed in ["Nueva-Clave-9931", "Ｎｕｅｖａ-Ｃｌａｖｅ-９９３１", "Ｎueva-Ｃlave-9931"] {
            let (path, fields) = Self.login(portal, typed)
            #expect(try harness.browser().fillAndSubmit(path, fields).status == 303, "\(typed)")
        }
    }

    // MARK: The policy alone

    @Test func theRulesJudgeTheNFKCFormTheHasherHashes() {
        let policy = PasswordPolicy(commonPasswords: CommonPasswordList(["password123"]))
        #expect(policy.violations(of: "ｐａｓｓｗｏｒｄ１２３").contains(.common))
        // Full-width digits are digits once normalized; "ﬁ" is two characters, so seven typed make eight.
        #expect(!policy.violations(of: "Ｃｌａｖｅ１２３４").contains(.missingDigit))
        #expect(PasswordPolicy(minimumLength: 8).violations(of: "Abcde\u{FB01}1") == [])
    }

    @Test func emojiSequencesPastTheByteCapAreTooManyBytesNotA500() {
        // 45 family emoji: 53 characters, 1,133 bytes; a form body cannot carry two copies.
        let password = "Clave-9x" + String(repeating: "👨‍👩‍👧‍👦", count: 45)
        let policy = PasswordPolicy()
        #expect(policy.violations(of: password) == [.tooManyBytes])
        #expect(policy.violations(of: "Clave-9x" + String(repeating: "👨‍👩‍👧‍👦", count: 10)) == [], "join controls are allowed")
    }

    @Test func controlAndInvisibleCharactersAreAViolation() {
        let policy = PasswordPolicy()
        for password in ["Clave-Buena-1\u{0}", "Clave-\u{7}Buena-1", "Clave-Buena-1\u{FEFF}", "Clave\u{200B}Buena-1"] {
            #expect(policy.violations(of: password) == [.controlCharacter], "\(password.unicodeScalars.map(\.value))")
        }
    }
}
