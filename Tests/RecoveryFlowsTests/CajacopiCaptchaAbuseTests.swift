import Testing
import TestSupport

/// The Cajacopi captcha stands between a stranger and the owner's account: wrong answers typed
/// with a victim's email must not spend the victim's request limit, and an answer counts only
/// from the browser that was shown the image.
@Suite("Cajacopi captcha: checked first, bound to its session")
struct CajacopiCaptchaAbuseTests {
    @Test("six wrong captchas with the victim's email do not block the owner's correct request")
    func wrongCaptchasSpendNoLimit() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "victima@example.com")
        let attacker = harness.browser()
        for _ in 1...6 {
            let (form, captchaID) = try attacker.cajacopiRequestForm()
            let refused = try attacker.post("/cajacopi/restablecer", [
                ("csrf", try #require(form.field("csrf"))), ("captcha_id", captchaID),
                ("correo", "victima@example.com"), ("captcha", "mal"),
            ])
            #expect(refused.status == 422)
        }

        let owner = harness.browser()
        let sent = try owner.requestCajacopiReset(email: "victima@example.com")
        #expect(sent.status == 200)
        #expect(sent.text.contains("Si los datos son correctos"))
        #expect(try harness.mail(to: "victima@example.com").count == 1)
    }

    @Test("a captcha drawn by browser A is refused from browser B, and still works for A")
    func captchaBoundToItsSession() throws {
        let harness = try CajacopiHarness()
        try harness.addUser(email: "ana@example.com")
        let browserA = harness.browser()
        let (formA, captchaID, answer) = try browserA.answeredCajacopiCaptcha()

        let browserB = harness.browser()
        let (formB, _) = try browserB.cajacopiRequestForm()
        let carried = try browserB.post("/cajacopi/restablecer", [
            ("csrf", try #require(formB.field("csrf"))), ("captcha_id", captchaID), ("correo", "ana@example.com"), ("captcha", answer),
        ])
        #expect(carried.status == 422)
        #expect(carried.text.contains("El captcha ya fue usado o no es válido"))
        #expect(try harness.mail(to: "ana@example.com").isEmpty)

        let own = try browserA.post("/cajacopi/restablecer", [
            ("csrf", try #require(formA.field("csrf"))), ("captcha_id", captchaID), ("correo", "ana@example.com"), ("captcha", answer),
        ])
        #expect(own.status == 200)
        #expect(try harness.mail(to: "ana@example.com").count == 1)
    }
}
