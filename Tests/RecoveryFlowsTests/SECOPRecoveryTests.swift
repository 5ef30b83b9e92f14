import ClaveCrypto
import ClaveTime
import Foundation
import Synchronization
import RecoveryFlows
import Testing
import UserStore
import TestSupport

/// The SECOP II steps against a real SQLite file, the real templates and a hand-moved clock.
@Suite struct SECOPRecoveryTests {
    @Test func resetEmailFollowsTheGuideAndStoresOnlyTheHash() throws {
        let fixture = try SECOPFixture()
        let user = try fixture.addUser("gongoragabriela")
        try fixture.recovery.requestPasswordReset(username: "  GongoraGabriela ", clientAddress: "127.0.0.1")

        let mail = try #require(try fixture.outbox().first)
        #expect(mail.recipient == "compras@example.com")
        #expect(mail.sender == "SECOP II <registro@secop.example>")
        #expect(mail.subject == SECOPRecovery.resetSubject)
        let token = try fixture.latestToken()
        #expect(token.count == 43)
        let link = "https://clave.example.co/secop/cambiar-contrasena?token=" + token
        for body in [mail.textBody, SECOPFixture.unescaped(mail.htmlBody)] {
            #expect(body.contains("Estimado (a) usuario (a)."))
            #expect(body.contains("Ha requerido recuperar la contraseña de ingreso de usuario."))
            #expect(body.contains("Haga clic aquí para cambiar la contraseña de usuario gongoragabriela"))
            #expect(body.contains("copie el enlace completo y péguelo en su navegador"))
            #expect(body.contains("Nosotros nunca le solicitamos datos personales por correo electrónico."))
            #expect(body.contains("018000-52-0808"))
            #expect(body.contains(link))
        }
        #expect(SECOPFixture.unescaped(mail.htmlBody).contains("href=\"\(link)\""))

        let stored = try fixture.database.read { tx in try tx.resetTokens.lookup(tokenHash: SHA256.hex(token), portal: .secop, purpose: .passwordReset, now: fixture.clock.now()) }
        #expect(stored.status == .valid)
        #expect(stored.token?.userID == user.id)
        #expect(stored.token?.expiresAt == fixture.clock.now().addingTimeInterval(3_600))
        let audit = try fixture.database.read { tx in try tx.auditLog.recent() }
        #expect(audit.map(\.event) == ["reset.requested"])
        #expect(audit.allSatisfy { !$0.detail.contains(token) && !$0.detail.contains("gongora") })
    }

    @Test func unknownUserGetsNoMailAndNoErrorAndLeavesNoNameInTheAudit() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("existente")
        try fixture.recovery.requestPasswordReset(username: "nadie.asi", clientAddress: "10.0.0.1")
        #expect(try fixture.outbox().isEmpty)
        let entry = try #require(try fixture.database.read { tx in try tx.auditLog.recent() }.first)
        #expect(entry.event == "reset.requested")
        #expect(entry.userID == nil)
        #expect(entry.detail == "account=unknown")
        #expect(entry.clientAddress == "10.0.0.1")
    }

    @Test(arguments: ["", "   ", String(repeating: "a", count: 101)])
    func unusableUsernameIsAnInputError(username: String) throws {
        let fixture = try SECOPFixture()
        #expect(throws: SECOPRecoveryError.input(.invalidUsername)) {
            try fixture.recovery.requestPasswordReset(username: username, clientAddress: nil)
        }
        #expect(try fixture.outbox().isEmpty)
    }

    @Test func openingTheLinkShowsTheUserAndUsesNothing() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        for _ in 0..<3 {
            #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
        }
    }

    @Test func aNewerRequestSupersedesEveryEarlierLink() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let first = try fixture.latestToken()
        fixture.clock.advance(by: 5)
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let second = try fixture.latestToken()
        #expect(first != second)
        #expect(try fixture.recovery.inspectLink(token: first, clientAddress: nil) == .unusable(.superseded))
        #expect(try fixture.recovery.changePassword(token: first, newPassword: "Nueva-Clave-9931", confirmation: "Nueva-Clave-9931",
                                                    clientAddress: nil) == .unusableLink(.superseded))
        #expect(try fixture.recovery.inspectLink(token: second, clientAddress: nil) == .valid(username: "ana.perez"))
    }

    @Test func linksExpireAfterAnHour() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        fixture.clock.advance(by: 3_599)
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
        fixture.clock.advance(by: 1)
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .unusable(.expired))
        #expect(try fixture.recovery.changePassword(token: token, newPassword: "Nueva-Clave-9931", confirmation: "Nueva-Clave-9931",
                                                    clientAddress: nil) == .unusableLink(.expired))
    }

    @Test(arguments: ["", "abc", "no-such-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "con espacio", "<script>",
                      String(repeating: "A", count: 129)])
    func unknownOrMalformedTokensAreUnknown(token: String) throws {
        let fixture = try SECOPFixture()
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .unusable(.unknown))
        #expect(try fixture.recovery.changePassword(token: token, newPassword: "Nueva-Clave-9931", confirmation: "Nueva-Clave-9931",
                                                    clientAddress: nil) == .unusableLink(.unknown))
    }

    @Test(arguments: [
        ("Corta1!", "Corta1!", [SECOPPasswordProblem.rule(.tooShort)]),
        ("xx-ana.perez-xx", "xx-ana.perez-xx", [.rule(.containsUsername)]),
        ("Password1", "Password1", [.rule(.common)]),
        ("Nueva-Clave-9931", "Nueva-Clave-9932", [.mismatchedConfirmation]),
        (String(repeating: "z", count: 129), String(repeating: "z", count: 129), [.rule(.tooLong)]),
    ])
    func refusedPasswordsNameTheRuleAndKeepTheLink(password: String, confirmation: String, expected: [SECOPPasswordProblem]) throws {
        let fixture = try SECOPFixture()
        let user = try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        let outcome = try fixture.recovery.changePassword(token: token, newPassword: password, confirmation: confirmation,
                                                          clientAddress: nil)
        #expect(outcome == .refused(username: "ana.perez", problems: expected))
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
        let stored = try #require(try fixture.database.read { tx in try tx.users.find(id: user.id) })
        #expect(try fixture.hasher.verify("Vieja-Clave-2026", against: stored.passwordHash))
    }

    @Test func changingThePasswordUsesTheLinkDropsSessionsAndTokensAndNotifies() throws {
        let fixture = try SECOPFixture()
        let user = try fixture.addUser("ana.perez")
        try fixture.database.write { tx in try tx.sessions.create(idHash: "sesion-abierta", portal: "secop", userID: user.id, csrfSecret: "x", now: fixture.clock.now()) }
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()

        let outcome = try fixture.recovery.changePassword(token: token, newPassword: "Nueva-Clave-9931",
                                                          confirmation: "Nueva-Clave-9931", clientAddress: "127.0.0.1")
        #expect(outcome == .changed(username: "ana.perez"))
        let stored = try #require(try fixture.database.read { tx in try tx.users.find(id: user.id) })
        #expect(try fixture.hasher.verify("Nueva-Clave-9931", against: stored.passwordHash))
        #expect(try fixture.database.read { tx in try tx.sessions.find(idHash: "sesion-abierta", now: fixture.clock.now()) } == nil)
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .unusable(.used))
        #expect(try fixture.recovery.changePassword(token: token, newPassword: "Otra-Clave-7781", confirmation: "Otra-Clave-7781",
                                                    clientAddress: nil) == .unusableLink(.used))

        let notice = try #require(try fixture.outbox().last)
        #expect(notice.subject == "SECOP II - Su contraseña fue cambiada")
        #expect(notice.sender == "SECOP II <registro@secop.example>")
        for body in [notice.textBody, notice.htmlBody] {
            #expect(body.contains("¿No fue usted?"))
            #expect(body.contains("ana.perez"))
            #expect(body.contains("Nosotros nunca le solicitamos datos personales"))
            #expect(!body.contains(token))
        }
        let events = try fixture.database.read { tx in try tx.auditLog.recent() }.map(\.event)
        #expect(events.contains("password.changed"))
        let details = try fixture.database.read { tx in try tx.auditLog.recent() }.map(\.detail).joined()
        #expect(!details.contains(token) && !details.contains("Nueva-Clave"))
    }

    @Test func twoConcurrentChangesWithOneLinkChangeThePasswordOnce() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        let outcomes = Mutex<[SECOPChangeOutcome]>([])
        let recovery = fixture.recovery
        onThreads(4) { index in
            let password = "Clave-Concurrente-\(index)-9931"
            let outcome = (try? recovery.changePassword(token: token, newPassword: password, confirmation: password,
                                                        clientAddress: nil)) ?? .unusableLink(.unknown)
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.filter { $0 == .changed(username: "ana.perez") }.count == 1)
        #expect(all.filter { $0 == .unusableLink(.used) }.count == 3)
        #expect(try fixture.outbox().filter { $0.subject.contains("fue cambiada") }.count == 1)
    }

    @Test func anOutstandingLinkDiesWithAChangeMadeByAnother() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        // A change through another channel (e.g. staff) drops the outstanding link.
        let user = try #require(try fixture.database.read { tx in try tx.users.findSecop(username: "ana.perez") })
        try fixture.database.write { tx in try tx.resetTokens.dropAllTokensAndSessions(userID: user.id, now: fixture.clock.now()) }
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .unusable(.used))
    }

    @Test func usernameReminderListsEveryNameOnTheAddress() throws {
        let fixture = try SECOPFixture()
        try fixture.addUser("demo.secop", email: "compras@example.com")
        try fixture.addUser("demo.secop.contratos", email: "Compras@Example.com")
        try fixture.addUser("otro", email: "otro@example.com")
        try fixture.recovery.requestUsernameReminder(email: " COMPRAS@example.com ", clientAddress: nil)
        let mail = try #require(try fixture.outbox().first)
        #expect(try fixture.outbox().count == 1)
        #expect(mail.subject == SECOPRecovery.reminderSubject)
        for body in [mail.textBody, SECOPFixture.unescaped(mail.htmlBody)] {
            #expect(body.contains("demo.secop"))
            #expect(body.contains("demo.secop.contratos"))
            #expect(!body.contains("- otro\n") && !body.contains(">otro<"))
            #expect(body.contains("https://clave.example.co/secop/ingreso"))
            #expect(body.contains("Nosotros nunca le solicitamos datos personales"))
        }
    }

    @Test func usernameReminderForAnUnknownAddressSendsNothing() throws {
        let fixture = try SECOPFixture()
        try fixture.recovery.requestUsernameReminder(email: "nadie@example.com", clientAddress: nil)
        #expect(try fixture.outbox().isEmpty)
        #expect(try fixture.database.read { tx in try tx.auditLog.recent() }.first?.detail == "accounts=0")
    }

    @Test(arguments: ["", "sin-arroba", "a@", String(repeating: "a", count: 250) + "@x.co"])
    func usernameReminderRefusesNonAddresses(email: String) throws {
        let fixture = try SECOPFixture()
        #expect(throws: SECOPRecoveryError.input(.invalidEmail)) {
            try fixture.recovery.requestUsernameReminder(email: email, clientAddress: nil)
        }
    }
}
