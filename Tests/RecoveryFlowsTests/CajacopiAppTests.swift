import Foundation
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// The Cajacopi flow inside the whole app (the shell's `ClaveApp`, `AppHarness`): demo user,
/// development mailbox API, login before and after.
@Suite("Cajacopi recovery in the whole app")
struct CajacopiAppTests {
    /// In process, and once through a live server end to end.
    @Test("the demo user resets through the mailbox API; other sessions die; the new password logs in",
          arguments: TestTransport.allCases)
    func demoUserJourney(transport: TestTransport) throws {
        let harness = try AppHarness(transport: transport)
        let email = AppHarness.Demo.cajacopiEmail

        // A session opened before the reset (a stranger's, say) must not survive it.
        let other = harness.browser()
        #expect(try other.fillAndSubmit("/cajacopi/ingreso", ["correo": email, "contrasena": AppHarness.Demo.cajacopiPassword]).status == 303)
        #expect(try other.get("/cajacopi/inicio").status == 200)

        let browser = harness.browser()
        let login = try browser.get("/cajacopi/ingreso")
        #expect(login.text.contains("¿Olvidaste tu contraseña?"))
        #expect(login.text.contains("href=\"/cajacopi/restablecer\""))
        let sent = try browser.requestCajacopiReset(email: email)
        #expect(sent.status == 200)
        #expect(sent.text.contains("Solicitud enviada"))

        let mail = try harness.waitForMail(to: email)
        #expect(mail.subject == "Restablecimiento de Contraseña - Cajacopi")
        #expect(mail.text.contains("Estimado(a) \(email), el proceso de verificación de usuario se realizó correctamente"))
        #expect(mail.html.contains("Restablecer Contraseña"))
        let prefix = "http://clave.test/cajacopi/nueva-contrasena?token="
        let range = try #require(mail.text.range(of: prefix))
        let token = String(mail.text[range.upperBound...].prefix { !$0.isWhitespace })

        let form = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        #expect(form.status == 200)
        #expect(form.header("Referrer-Policy") == "no-referrer")
        let changed = try browser.submit(form, to: "/cajacopi/nueva-contrasena",
                                         ["token": token, "contrasena_nueva": "Tinaja-Roja-38", "contrasena_confirmacion": "Tinaja-Roja-38"])
        #expect(changed.status == 200)
        #expect(changed.text.contains("Contraseña actualizada"))
        // Not logged in automatically.
        #expect(try browser.get("/cajacopi/inicio").status == 303)

        let confirmation = try harness.waitForMail(to: email, newerThan: mail.id)
        #expect(confirmation.subject == "Su contraseña fue actualizada - Cajacopi")
        #expect(confirmation.text.contains("¿No fue usted?"))

        #expect(try other.get("/cajacopi/inicio").status == 303, "the earlier session was dropped")

        let fresh = harness.browser()
        let old = try fresh.fillAndSubmit("/cajacopi/ingreso", ["correo": email, "contrasena": AppHarness.Demo.cajacopiPassword])
        #expect(old.status != 303)
        let new = try fresh.fillAndSubmit("/cajacopi/ingreso", ["correo": email, "contrasena": "Tinaja-Roja-38"])
        #expect(new.status == 303)
        #expect(new.location == "/cajacopi/inicio")
    }

    @Test("in the whole app too, known and unknown accounts get the same bytes")
    func uniformAnswerInTheApp() throws {
        let harness = try AppHarness()
        let known = try harness.browser().requestCajacopiReset(email: AppHarness.Demo.cajacopiEmail)
        let unknown = try harness.browser().requestCajacopiReset(email: "nadie.registrado@example.com")
        #expect(known.status == 200)
        #expect(unknown.status == known.status)
        #expect(unknown.body == known.body)
        let names = { (page: WebResponse) in page.headers.map { $0.0.lowercased() }.filter { $0 != "date" }.sorted() }
        #expect(names(unknown) == names(known))
        _ = try harness.waitForMail(to: AppHarness.Demo.cajacopiEmail)
        #expect(try harness.mails(to: "nadie.registrado@example.com").isEmpty)
    }

    @Test("production mode: the captcha works, the development answer route does not exist")
    func productionHasNoCaptchaRoute() throws {
        let harness = try AppHarness { $0.mode = .production }
        let browser = harness.browser()
        let (_, captchaID) = try browser.cajacopiRequestForm()
        #expect(try browser.get("/cajacopi/captcha/\(captchaID).png").status == 200)
        #expect(try browser.get("/_dev/captcha/\(captchaID)").status == 404)
    }

    @Test("the development route answers loopback clients only")
    func loopbackOnly() {
        #expect(ClientAddress.isLoopback("127.0.0.1"))
        #expect(ClientAddress.isLoopback("127.8.9.10"))
        #expect(ClientAddress.isLoopback("::1"))
        #expect(!ClientAddress.isLoopback("10.0.0.7"))
        #expect(!ClientAddress.isLoopback("::ffff:10.0.0.7"))
        #expect(!ClientAddress.isLoopback("1270.0.0.1"))
    }

    @Test("a request forwarded by a proxy on this machine gets no captcha answer")
    func forwardedRequestsAreRefused() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let (_, captchaID) = try browser.cajacopiRequestForm()
        for header in [("X-Forwarded-For", "203.0.113.5"), ("Forwarded", "for=203.0.113.5")] {
            let refused = try browser.get("/_dev/captcha/\(captchaID)", headers: [header])
            #expect(refused.status == 403)
            #expect(!refused.text.contains(captchaID))
        }
        #expect(try browser.get("/_dev/captcha/\(captchaID)").status == 200)
    }
}
