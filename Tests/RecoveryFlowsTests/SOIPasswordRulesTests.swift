import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Layer 1: every rule of SOI's "Cambio de Clave", one at a time.
@Suite("SOI password rules")
struct SOIPasswordRulesTests {
    static let rules = SOIPasswordRules(commonPasswords: CommonPasswordList(["password1", "colombia2026"]))

    static func user() throws -> User {
        try SOIFixture.makeDetachedUser()
    }

    @Test("A long enough, uncommon, personal-data-free clave passes without character classes")
    func accepts() throws {
        #expect(Self.rules.problem(new: "caballo correcto grapa", confirmation: "caballo correcto grapa",
                                   current: "Kp7m-Rt4x-Wq9c", user: try Self.user()) == nil)
    }

    @Test("Each rule refuses on its field with its own words", arguments: [
        ("", "", "clave_nueva", "Escriba la nueva clave."),
        ("corta7", "corta7", "clave_nueva", "La nueva clave no es válida: Debe tener mínimo 8 caracteres."),
        ("Password1", "Password1", "clave_nueva",
         "La nueva clave no es válida: Es una contraseña demasiado común y fácil de adivinar; elija otra."),
        ("mi-1020304050-x", "mi-1020304050-x", "clave_nueva",
         "La nueva clave no es válida: No debe contener su número de identificación."),
        ("Kp7m-Rt4x-Wq9c", "Kp7m-Rt4x-Wq9c", "clave_nueva", "La nueva clave debe ser distinta de la clave actual."),
        ("caballo correcto grapa", "caballo correcto grap", "clave_confirmacion",
         "La confirmación no coincide con la nueva clave."),
    ])
    func refuses(new: String, confirmation: String, field: String, message: String) throws {
        let problem = Self.rules.problem(new: new, confirmation: confirmation, current: "Kp7m-Rt4x-Wq9c", user: try Self.user())
        #expect(problem == SOIFieldError(field: field, message: message))
    }

    @Test("The page lists the rules in Spanish")
    func requirements() {
        #expect(Self.rules.requirements.first == "Mínimo 8 caracteres.")
        #expect(Self.rules.requirements.count == 4)
    }
}

extension SOIFixture {
    /// The fixture user (User has no public memberwise init; rules only read its fields).
    static func makeDetachedUser() throws -> User {
        let fixture = try SOIFixture()
        return fixture.user
    }
}
