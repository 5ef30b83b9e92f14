import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// One normal form for every identifier, over HTTP on the three portals: the account look-up
/// and the per-identifier rate limit read the same ``Identifier``, so no spelling of a name finds
/// the account under a counter of its own; and a control or invisible character in any
/// identifier or password field is a field error before anything is looked up or counted.
@Suite struct IdentifierInputTests {
    typealias Demo = AppHarness.Demo

    /// A form that takes an identifier: its page, its valid fields, and what a refusal is not.
    struct TypedForm: Sendable, CustomTestStringConvertible {
        var path: String
        var fields: [String: String]
        var field: String
        var testDescription: String { "\(path) \(field)" }
    }

    static let soiLogin = ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC",
                           "usuario_numero": "1020304050", "clave": "Mala-Clave-1"]
    static let soiForgot = ["aportante_tipo": "NIT", "aportante_numero": "900123456-8", "usuario_tipo": "CC",
                            "usuario_numero": "1020304050", "correo": Demo.soiEmail]

    /// Every identifier and login password field of the three portals (Cajacopi's request,
    /// which needs a captcha, has its own test).
    static let fields: [TypedForm] = [
        TypedForm(path: "/secop/ingreso", fields: ["usuario": Demo.secopUser, "contrasena": "Mala-Clave-1"], field: "usuario"),
        TypedForm(path: "/secop/ingreso", fields: ["usuario": Demo.secopUser, "contrasena": "Mala-Clave-1"], field: "contrasena"),
        TypedForm(path: "/secop/olvide-contrasena", fields: ["usuario": Demo.secopUser], field: "usuario"),
        TypedForm(path: "/secop/olvide-usuario", fields: ["correo": Demo.secopEmail], field: "correo"),
        TypedForm(path: "/cajacopi/ingreso", fields: ["correo": Demo.cajacopiEmail, "contrasena": "Mala-Clave-1"], field: "correo"),
        TypedForm(path: "/cajacopi/ingreso", fields: ["correo": Demo.cajacopiEmail, "contrasena": "Mala-Clave-1"], field: "contrasena"),
        TypedForm(path: "/soi/ingreso", fields: soiLogin, field: "empresa_numero"),
        TypedForm(path: "/soi/ingreso", fields: soiLogin, field: "usuario_numero"),
        TypedForm(path: "/soi/ingreso", fields: soiLogin, field: "clave"),
        TypedForm(path: "/soi/olvido-clave", fields: soiForgot, field: "aportante_numero"),
        TypedForm(path: "/soi/olvido-clave", fields: soiForgot, field: "usuario_numero"),
        TypedForm(path: "/soi/olvido-clave", fields: soiForgot, field: "correo"),
    ]

    /// NUL, other C0 and C1 controls, DEL, a trailing newline, and the invisible format
    /// characters (zero-width space, byte-order mark, right-to-left override).
    static let poisons: [@Sendable (String) -> String] = [
        { $0 + "\u{0}x" }, { $0 + "\u{0}" }, { "\u{1B}" + $0 }, { $0 + "\u{7F}" }, { $0 + "\u{85}" }, { $0 + "\n" },
        { $0 + "\u{200B}" }, { "\u{FEFF}" + $0 }, { $0 + "\u{202E}x" },
    ]

    /// One attempt per identifier per window on every route these tests use, many per address.
    static func onePerIdentifier(_ configuration: inout AppConfiguration) {
        let one = RouteLimits(perAddress: RateLimitRule(1_000, per: 600), perIdentifier: RateLimitRule(1, per: 600))
        configuration.rateLimits = RateLimitPolicy(routes: Dictionary(uniqueKeysWithValues: [
            "secop.login", "secop.forgot-password", "secop.forgot-username", "cajacopi.login", "cajacopi.forgot-password",
            "soi.login", "soi.forgot-password",
        ].map { ($0, one) }))
    }

    /// Events that mean an account was looked up.
    static let lookUpEvents: Set<String> = ["login.failed", "login.refused", "login.locked", "login.succeeded",
                                            "reset.requested", "username.reminder_requested"]

    @Test(arguments: fields)
    func aControlCharacterInTheFieldIsAFieldErrorAndNothingIsLookedUpOrCounted(_ form: TypedForm) throws {
        let harness = try AppHarness(configure: Self.onePerIdentifier)
        let browser = harness.browser()
        for poison in Self.poisons {
            var fields = form.fields
            fields[form.field] = poison(fields[form.field] ?? "")
            // With one attempt per identifier, a second counted attempt would be a 429.
            for _ in 0..<2 {
                let page = try browser.fillAndSubmit(form.path, fields)
                #expect(page.status == 422, "\(fields[form.field]!.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect(page.text.contains("caracteres no permitidos"))
                #expect(page.text.contains("has-error"), "the field is marked")
                #expect(!page.text.contains("\u{0}"))
            }
        }
        let events = try harness.database.read { tx in try tx.auditLog.recent(limit: 100) }.map(\.event)
        #expect(Self.lookUpEvents.isDisjoint(with: events), "\(events)")
        #expect(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) }?.failedLogins == 0)
        // The clean identifier still has its one attempt: the refusals spent none of it.
        #expect(try browser.fillAndSubmit(form.path, form.fields).status != 429)
    }

    @Test func aControlCharacterInCajacopisRequestIsAFieldErrorAndNothingIsLookedUpOrCounted() throws {
        let harness = try AppHarness(configure: Self.onePerIdentifier)
        let browser = harness.browser()
        for poison in Self.poisons {
            for _ in 0..<2 {
                let page = try browser.requestCajacopiReset(email: poison(Demo.cajacopiEmail))
                #expect(page.status == 422)
                #expect(page.text.contains("caracteres no permitidos"))
                #expect(page.field("captcha_id") != nil, "the form again, with a new captcha")
            }
        }
        let events = try harness.database.read { tx in try tx.auditLog.recent(limit: 100) }.map(\.event)
        #expect(Self.lookUpEvents.isDisjoint(with: events), "\(events)")
        #expect(try browser.requestCajacopiReset(email: Demo.cajacopiEmail).status == 200)
    }

    // MARK: One counter per account

    /// Two attempts per identifier per window, many per address. Logins count per identifier
    /// in the login throttle (the same keys): one free failure, the second sets a wait.
    static func twoPerIdentifier(_ configuration: inout AppConfiguration) {
        let two = RouteLimits(perAddress: RateLimitRule(1_000, per: 600), perIdentifier: RateLimitRule(2, per: 600))
        configuration.rateLimits = RateLimitPolicy(routes: Dictionary(uniqueKeysWithValues: [
            "secop.login", "secop.forgot-password", "secop.forgot-username", "cajacopi.login", "cajacopi.forgot-password",
            "soi.login", "soi.forgot-password",
        ].map { ($0, two) }))
        configuration.login = LoginThrottlePolicy(freeFailures: 1, firstDelay: 600)
    }

    /// (form, field, three spellings of one identifier: plain, case and spaces, full width)
    static let spellings: [(TypedForm, [String])] = [
        (fields[0], [Demo.secopUser, " Demo.Secop ", "ＤＥＭＯ.ｓｅｃｏｐ"]),
        (fields[2], [Demo.secopUser, "DEMO.secop\u{3000}", "ｄｅｍｏ．ｓｅｃｏｐ"]),
        (fields[3], [Demo.secopEmail, " COMPRAS@Example.com", "ｃｏｍｐｒａｓ＠ｅｘａｍｐｌｅ．ｃｏｍ"]),
        (fields[4], [Demo.cajacopiEmail, "Afiliado@EXAMPLE.com ", "ＡＦＩＬＩＡＤＯ＠ｅｘａｍｐｌｅ.com"]),
        (fields[6], ["900123456-8", "900.123.456-8", "９００１２３４５６－８"]),
        (fields[7], ["1020304050", " 1.020.304.050 ", "１０２０３０４０５０"]),
        (fields[10], ["1020304050", "1 020 304 050", "１０２０３０４０５０"]),
    ]

    @Test(arguments: spellings)
    func caseWidthAndSpaceSpellingsOfOneIdentifierShareOneRateLimitCounter(_ form: TypedForm, _ spellings: [String]) throws {
        let harness = try AppHarness(configure: Self.twoPerIdentifier)
        var answers: [Int] = []
        for spelling in spellings {
            var fields = form.fields
            fields[form.field] = spelling
            answers.append(try harness.browser().fillAndSubmit(form.path, fields).status)
        }
        #expect(answers[0] != 429 && answers[1] != 429)
        #expect(answers[2] == 429, "the third spelling is the third attempt at the same identifier: \(answers)")
    }

    @Test func cajacopisRequestCountsEverySpellingOfAnEmailOnce() throws {
        let harness = try AppHarness(configure: Self.twoPerIdentifier)
        let answers = try [Demo.cajacopiEmail, " AFILIADO@example.com", "ａｆｉｌｉａｄｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"].map {
            try harness.browser().requestCajacopiReset(email: $0).status
        }
        #expect(answers == [200, 200, 429])
    }

    @Test func fullWidthAndCaseSpellingsFindTheAccountTheyAreCountedFor() throws {
        let harness = try AppHarness()
        let secop = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": "Ｄｅｍｏ.Ｓｅｃｏｐ ", "contrasena": Demo.secopPassword])
        #expect(secop.status == 303)
        let cajacopi = try harness.browser().fillAndSubmit("/cajacopi/ingreso", [
            "correo": "ＡＦＩＬＩＡＤＯ＠example.com", "contrasena": Demo.cajacopiPassword])
        #expect(cajacopi.status == 303)
        var soi = Self.soiLogin
        soi["empresa_numero"] = "９００１２３４５６-８"
        soi["usuario_numero"] = "１０２０３０４０５０"
        soi["clave"] = Demo.soiPassword
        #expect(try harness.browser().fillAndSubmit("/soi/ingreso", soi).status == 303)
    }
}
