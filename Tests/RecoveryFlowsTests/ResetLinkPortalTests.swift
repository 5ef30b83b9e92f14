import Testing
import TestSupport
import UserStore

/// A reset link works only on the portal that sent it: portal and purpose are part of a token's
/// identity. Otherwise a SECOP II link would change the password from Cajacopi's page (skipping
/// Cajacopi's rules and its confirmation email), and a Cajacopi link from SECOP II's.
@Suite("A reset link works only where it was issued")
struct ResetLinkPortalTests {
    typealias Demo = AppHarness.Demo
    static let newPassword = "Tinaja-Roja-38"

    @Test("a SECOP II link is unknown on Cajacopi's page, GET and POST, and changes nothing")
    func secopLinkOnCajacopi() throws {
        let harness = try AppHarness()
        let token = try harness.secopResetToken()
        let before = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        let browser = harness.browser()

        let opened = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        #expect(opened.status == 404)
        #expect(opened.text.contains("El enlace no es válido"))
        #expect(opened.hiddenField("token") == nil, "no new-password form for a foreign link")

        let posted = try browser.submit(try browser.get("/cajacopi/ingreso"), to: "/cajacopi/nueva-contrasena", [
            "token": token, "contrasena_nueva": Self.newPassword, "contrasena_confirmacion": Self.newPassword,
        ])
        #expect(posted.status == 404)
        #expect(!posted.text.contains("Contraseña actualizada"))

        let after = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        #expect(after.passwordHash == before.passwordHash)
        // The link was not used up: it still opens where it was issued.
        let own = try browser.get("/secop/cambiar-contrasena?token=\(token)")
        #expect(own.status == 200)
        #expect(own.hiddenField("token") == token)
    }

    @Test("a Cajacopi link is unknown on SECOP II's page, GET and POST, and changes nothing")
    func cajacopiLinkOnSecop() throws {
        let harness = try AppHarness()
        let token = try harness.cajacopiResetToken()
        let before = try #require(try harness.database.read { tx in try tx.users.findCajacopi(email: Demo.cajacopiEmail) })
        let browser = harness.browser()

        let opened = try browser.get("/secop/cambiar-contrasena?token=\(token)")
        #expect(opened.status == 404)
        #expect(opened.text.contains("Este enlace no es válido"))
        #expect(opened.hiddenField("token") == nil, "no change form for a foreign link")

        let posted = try browser.submit(try browser.get("/secop/ingreso"), to: "/secop/cambiar-contrasena", [
            "token": token, "contrasena_nueva": "Nueva-Clave-9931", "contrasena_confirmacion": "Nueva-Clave-9931",
        ])
        #expect(posted.status == 404)
        #expect(posted.text.contains("Este enlace no es válido"))

        let after = try #require(try harness.database.read { tx in try tx.users.findCajacopi(email: Demo.cajacopiEmail) })
        #expect(after.passwordHash == before.passwordHash)
        let own = try browser.get("/cajacopi/nueva-contrasena?token=\(token)")
        #expect(own.status == 200)
        #expect(own.hiddenField("token") == token)
    }
}
