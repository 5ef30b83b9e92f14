import ClaveTime
import Foundation
import RecoveryFlows
import Testing
import UserStore

/// Layer 2: the issue "Accounts a stranger can neither take nor block". SOI's temporary password
/// lives 60 minutes by default, dies when the owner logs in with the old password, and, once
/// logged in with, stays a must-change password only until the same deadline.
@Suite("SOI temporary password lifetime over SQLite")
struct SOITemporaryPasswordTests {
    /// Asks for a temporary password for the fixture's user at the fixture's clock; returns it.
    static func request(_ fixture: SOIFixture) throws -> String {
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1",
                                                         now: fixture.clock.now())
        return try fixture.latestTemporaryPassword()
    }

    @Test("By default the temporary password works 60 minutes, and its email says so")
    func anHourByDefault() throws {
        let fixture = try SOIFixture()
        let start = fixture.clock.now()
        let temporary = try Self.request(fixture)
        let user = try fixture.reloadUser()
        #expect(user.temporaryPasswordExpiresAt == start.addingTimeInterval(3600))
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: start.addingTimeInterval(3599)) == .temporary)
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: start.addingTimeInterval(3600)) == .none)
        let mail = try #require(try fixture.outbox().last)
        #expect(mail.textBody.contains("vence en 1 hora"))
        #expect(mail.htmlBody.contains("vence en <strong>1 hora</strong>"))
    }

    @Test("The lifetime is the configuration's, and the email says it")
    func configuredLifetime() throws {
        let fixture = try SOIFixture(configuration: SOIRecoveryConfiguration(temporaryPasswordLifetime: 90 * 60,
                                                                             publicURL: SOIFixture.publicURL))
        let start = fixture.clock.now()
        _ = try Self.request(fixture)
        #expect(try fixture.reloadUser().temporaryPasswordExpiresAt == start.addingTimeInterval(90 * 60))
        #expect(try #require(try fixture.outbox().last).textBody.contains("vence en 90 minutos"))
        #expect(SOIRecoveryConfiguration.temporaryPasswordMinutes == 5...1440)
    }

    @Test("A successful login with the current password drops the pending temporary password")
    func currentLoginDropsTemporary() throws {
        let fixture = try SOIFixture()
        let temporary = try Self.request(fixture)
        let now = fixture.clock.now()
        try fixture.database.write { tx in try tx.users.recordSuccessfulLogin(id: fixture.user.id, now: now) }
        let user = try fixture.reloadUser()
        #expect(user.temporaryPasswordHash == nil && user.temporaryPasswordExpiresAt == nil)
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: now) == .none)
        #expect(try fixture.recovery.useTemporaryPassword(userID: user.id, clientAddress: "10.0.0.1", now: now) == false)
        #expect(fixture.recovery.verifier.check(SOIFixture.oldPassword, for: user, now: now) == .current)
    }

    @Test("A promoted temporary password keeps its deadline; past it, it matches nothing and cannot change the clave")
    func promotedPasswordDies() throws {
        let fixture = try SOIFixture()
        let start = fixture.clock.now()
        let temporary = try Self.request(fixture)
        fixture.clock.advance(by: 10 * 60)
        #expect(try fixture.recovery.useTemporaryPassword(userID: fixture.user.id, clientAddress: "10.0.0.1",
                                                          now: fixture.clock.now()))
        var user = try fixture.reloadUser()
        #expect(user.mustChangePassword && user.promotedPasswordDeadline == start.addingTimeInterval(3600))
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: start.addingTimeInterval(3599)) == .current)
        // Logging in with it again before the deadline keeps the deadline.
        try fixture.database.write { tx in try tx.users.recordSuccessfulLogin(id: user.id, now: start.addingTimeInterval(1800)) }
        user = try fixture.reloadUser()
        #expect(user.promotedPasswordDeadline == start.addingTimeInterval(3600))
        // Abandoned: past the deadline it is no password at all, the old one neither.
        fixture.clock.advance(by: 51 * 60)
        let late = fixture.clock.now()
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: late) == .none)
        #expect(fixture.recovery.verifier.check(SOIFixture.oldPassword, for: user, now: late) == .none)
        let refused = try fixture.recovery.changePassword(userID: user.id, current: temporary, new: "Aportes Al Dia 2026",
                                                          confirmation: "Aportes Al Dia 2026", keepingSession: nil,
                                                          clientAddress: "10.0.0.1", now: late)
        #expect(refused == .refused(SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta.")))
    }

    @Test("The way back is a new request: it replaces the promoted password, and the change clears the deadline")
    func newRequestThenChange() throws {
        let fixture = try SOIFixture()
        let first = try Self.request(fixture)
        #expect(try fixture.recovery.useTemporaryPassword(userID: fixture.user.id, clientAddress: "10.0.0.1",
                                                          now: fixture.clock.now()))
        fixture.clock.advance(by: 2 * 3600)
        let second = try Self.request(fixture)
        let now = fixture.clock.now()
        var user = try fixture.reloadUser()
        #expect(user.promotedPasswordDeadline == now.addingTimeInterval(3600))
        #expect(fixture.recovery.verifier.check(first, for: user, now: now) == .none)
        #expect(fixture.recovery.verifier.check(second, for: user, now: now) == .current)
        let changed = try fixture.recovery.changePassword(userID: user.id, current: second, new: "Aportes Al Dia 2026",
                                                          confirmation: "Aportes Al Dia 2026", keepingSession: nil,
                                                          clientAddress: "10.0.0.1", now: now)
        #expect(changed == .changed)
        user = try fixture.reloadUser()
        #expect(!user.mustChangePassword && user.promotedPasswordDeadline == nil && user.temporaryPasswordExpiresAt == nil)
        #expect(fixture.recovery.verifier.check("Aportes Al Dia 2026", for: user, now: now.addingTimeInterval(400 * 86_400)) == .current)
    }

    @Test("A staff-set must-change password has no deadline, even after a temporary password expires unused")
    func staffPasswordHasNoDeadline() throws {
        let fixture = try SOIFixture()
        let now = fixture.clock.now()
        try fixture.database.write { tx in
            try tx.users.changePassword(id: fixture.user.id, newHash: try fixture.hasher.hash("Staff-Set-2026"), mustChange: true, now: now)
        }
        let temporary = try Self.request(fixture)
        let later = now.addingTimeInterval(2 * 3600)
        let user = try fixture.reloadUser()
        #expect(user.promotedPasswordDeadline == nil)
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: later) == .none)
        #expect(fixture.recovery.verifier.check("Staff-Set-2026", for: user, now: later) == .current)
    }
}
