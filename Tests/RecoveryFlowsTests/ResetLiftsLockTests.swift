import Foundation
import Testing
import TestSupport
import UserStore

/// A completed reset lifts every lock and throttle of the account: a stranger's wrong guesses
/// throttle untrusted browsers (and staff may have locked it), but once the owner has proved
/// control of the email (a link, SOI's temporary password) the new password must work at once,
/// from any browser, not after the throttle's wait.
@Suite("A completed reset clears the account's locks and throttles")
struct ResetLiftsLockTests {
    typealias Demo = AppHarness.Demo

    /// Enough wrong passwords to start the throttle's wait (5 free) and to be refused during it,
    /// so the next login from a new browser would be 429 without the reset.
    static let strangersGuesses = 10

    /// Whether a login from a new browser with `fields` is held by the throttle.
    static func throttled(_ harness: AppHarness, _ path: String, _ fields: [String: String]) throws -> Bool {
        try harness.browser().fillAndSubmit(path, fields).status == 429
    }

    @Test("SECOP II: locked and throttled by a stranger, reset by the link, the new password logs in at once")
    func secop() throws {
        let harness = try AppHarness()
        let stranger = harness.browser()
        for guess in 1...Self.strangersGuesses {
            _ = try stranger.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Adivina-\(guess)"])
        }
        #expect(try Self.throttled(harness, "/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]))
        let locked = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        try harness.database.write { tx in try tx.users.lock(id: locked.id, until: harness.clock.now().addingTimeInterval(3600), now: harness.clock.now()) }

        let owner = harness.browser()
        let token = try harness.secopResetToken()
        let changed = try owner.submit(try owner.get("/secop/cambiar-contrasena?token=\(token)"), to: "/secop/cambiar-contrasena", [
            "token": token, "contrasena_nueva": "Nueva-Clave-9931", "contrasena_confirmacion": "Nueva-Clave-9931",
        ])
        #expect(changed.status == 200)

        let login = try owner.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Nueva-Clave-9931"])
        #expect(login.status == 303)
        #expect(login.location?.hasSuffix("/secop/inicio") == true)
        let after = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        #expect(after.failedLogins == 0)
        #expect(after.lockedUntil == nil)
    }

    @Test("Cajacopi: locked and throttled by a stranger, reset by the link, the new password logs in at once")
    func cajacopi() throws {
        let harness = try AppHarness()
        let stranger = harness.browser()
        for guess in 1...Self.strangersGuesses {
            _ = try stranger.fillAndSubmit("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": "Adivina-\(guess)"])
        }
        #expect(try Self.throttled(harness, "/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword]))
        let locked = try #require(try harness.database.read { tx in try tx.users.findCajacopi(email: Demo.cajacopiEmail) })
        try harness.database.write { tx in try tx.users.lock(id: locked.id, until: harness.clock.now().addingTimeInterval(3600), now: harness.clock.now()) }

        let owner = harness.browser()
        let token = try harness.cajacopiResetToken()
        let changed = try owner.submit(try owner.get("/cajacopi/nueva-contrasena?token=\(token)"), to: "/cajacopi/nueva-contrasena", [
            "token": token, "contrasena_nueva": "Tinaja-Roja-38", "contrasena_confirmacion": "Tinaja-Roja-38",
        ])
        #expect(changed.status == 200)
        #expect(changed.text.contains("Contraseña actualizada"))

        let login = try owner.fillAndSubmit("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": "Tinaja-Roja-38"])
        #expect(login.status == 303)
        #expect(login.location?.hasSuffix("/cajacopi/inicio") == true)
    }

    /// SOI emails a temporary password instead of a link: logging in with it is the reset. It
    /// goes through the throttle and the lock (only the registered email received it) and lifts
    /// both. Before the throttle, SOI's login limit per identifier was spent before any password
    /// was checked, so a stranger who had spent it kept the temporary password out too.
    @Test("SOI: throttled by a stranger, the emailed temporary password logs in, and so does the new clave")
    func soi() throws {
        let harness = try AppHarness()
        let stranger = harness.browser()
        for guess in 1...Self.strangersGuesses {
            #expect(SOIRecoveryRoutesTests.refused(try SOIRecoveryRoutesTests.logIn(stranger, clave: "Adivina-\(guess)")))
        }
        #expect(try SOIRecoveryRoutesTests.logIn(harness.browser(), clave: Demo.soiPassword).status == 429)
        let locked = try #require(try harness.database.read { tx in
            try tx.users.findSOI(aportante: try Document(parsing: Demo.soiCompany), user: try Document(parsing: Demo.soiUser))
        })
        try harness.database.write { tx in try tx.users.lock(id: locked.id, until: harness.clock.now().addingTimeInterval(3600), now: harness.clock.now()) }

        let owner = harness.browser()
        let (temporary, _) = try SOIRecoveryRoutesTests.requestTemporaryPassword(harness)
        let entered = try SOIRecoveryRoutesTests.logIn(owner, clave: temporary)
        #expect(entered.status == 303)
        #expect(entered.location?.hasSuffix("/soi/cambio-clave") == true)
        let changed = try owner.submit(try owner.get("/soi/cambio-clave"), to: "/soi/cambio-clave", [
            "clave_actual": temporary, "clave_nueva": "Aportes Al Dia 2026", "clave_confirmacion": "Aportes Al Dia 2026",
        ])
        #expect(changed.location?.hasSuffix("/soi/inicio") == true)

        let again = try SOIRecoveryRoutesTests.logIn(harness.browser(), clave: "Aportes Al Dia 2026")
        #expect(again.location?.hasSuffix("/soi/inicio") == true)
        let after = try #require(try harness.database.read { tx in try tx.users.find(id: locked.id) })
        #expect(after.failedLogins == 0)
        #expect(after.lockedUntil == nil)
    }
}
