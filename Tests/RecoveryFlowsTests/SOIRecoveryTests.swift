import ClaveCrypto
import ClaveTime
import Foundation
import RecoveryFlows
import Testing
import UserStore

/// Layer 2: SOI's recovery over a real SQLite file with the real templates.
@Suite("SOI recovery over SQLite")
struct SOIRecoveryTests {
    @Test("Matching Aportante, Usuario and correo store a temporary password and enqueue its email")
    func sendsTemporaryPassword() throws {
        let fixture = try SOIFixture()
        let outcome = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1",
                                                                   now: fixture.clock.now())
        #expect(outcome == .sent(userID: fixture.user.id))
        let mails = try fixture.outbox()
        try #require(mails.count == 1)
        let mail = mails[0]
        #expect(mail.recipient == SOIFixture.email)
        #expect(mail.subject == "SOI - Recuperación de clave")
        #expect(mail.sender.contains("SOI"))
        let temporary = try SOIFixture.temporaryPassword(in: mail.textBody)
        // Readable: six groups of four (about 139 bits), no look-alikes.
        #expect(temporary.count == 29)
        #expect(!temporary.contains { "0O1lI".contains($0) })
        #expect(mail.htmlBody.contains(temporary))
        for line in ["Bogotá: 3808880", "Medellín: 2040180", "Resto del país: 018000110764", "¿No fue usted?"] {
            #expect(mail.textBody.contains(line))
            #expect(mail.htmlBody.contains(line))
        }
        // The configured public URL, never a Host header.
        #expect(mail.textBody.contains("https://soi.clave.example.co/soi/ingreso"))
        // Only the hash is stored, beside the untouched current password.
        let user = try fixture.reloadUser()
        let stored = try #require(user.temporaryPasswordHash)
        #expect(!stored.contains(temporary))
        #expect(try fixture.hasher.verify(temporary, against: stored))
        #expect(user.passwordHash == fixture.user.passwordHash)
        // 60 minutes by default (was 24 hours before the issue "Accounts a stranger can neither take nor block").
        #expect(user.temporaryPasswordExpiresAt == fixture.clock.now().addingTimeInterval(3600))
    }

    @Test("Unknown aportante, unknown usuario or a different correo: nothing stored, nothing sent",
          arguments: [["aportante_numero": "800197268-4"], ["usuario_numero": "99999999"],
                      ["usuario_tipo": "CE"], ["correo": "otro@example.com"]])
    func noMatch(overrides: [String: String]) throws {
        let fixture = try SOIFixture()
        let outcome = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(overrides), clientAddress: "10.0.0.1",
                                                                   now: fixture.clock.now())
        #expect(outcome == .noMatch)
        #expect(try fixture.outbox().isEmpty)
        #expect(try fixture.reloadUser().temporaryPasswordHash == nil)
        let audit = try fixture.database.read { tx in try tx.auditLog.recent(event: AuditEvent.resetRequested.rawValue) }
        #expect(audit.count == 1)
        #expect(audit.first?.portal == "soi")
        #expect(audit.first?.detail.hasPrefix("account=unknown") == true)
    }

    @Test("The old password keeps working until the temporary one is used; then only the temporary one")
    func oldPasswordUntilUsed() throws {
        let fixture = try SOIFixture()
        let verifier = fixture.recovery.verifier
        let now = fixture.clock.now()
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1", now: now)
        let temporary = try fixture.latestTemporaryPassword()
        var user = try fixture.reloadUser()
        #expect(verifier.check(SOIFixture.oldPassword, for: user, now: now) == .current)
        #expect(verifier.check(temporary, for: user, now: now) == .temporary)
        #expect(try fixture.recovery.useTemporaryPassword(userID: user.id, clientAddress: "10.0.0.1", now: now))
        user = try fixture.reloadUser()
        #expect(user.mustChangePassword)
        #expect(verifier.check(SOIFixture.oldPassword, for: user, now: now) == .none)
        #expect(verifier.check(temporary, for: user, now: now) == .current)
        // Used once: it cannot be promoted again.
        #expect(try fixture.recovery.useTemporaryPassword(userID: user.id, clientAddress: "10.0.0.1", now: now) == false)
    }

    @Test("A newer request supersedes the earlier temporary password")
    func superseded() throws {
        let fixture = try SOIFixture()
        let now = fixture.clock.now()
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1", now: now)
        let first = try fixture.latestTemporaryPassword()
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1", now: now)
        let second = try fixture.latestTemporaryPassword()
        #expect(first != second)
        let user = try fixture.reloadUser()
        #expect(fixture.recovery.verifier.check(first, for: user, now: now) == .none)
        #expect(fixture.recovery.verifier.check(second, for: user, now: now) == .temporary)
    }

    @Test("An expired temporary password matches nothing and cannot be promoted")
    func expired() throws {
        let fixture = try SOIFixture()
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1",
                                                         now: fixture.clock.now())
        let temporary = try fixture.latestTemporaryPassword()
        fixture.clock.advance(by: 24 * 3600 + 1)
        let user = try fixture.reloadUser()
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: fixture.clock.now()) == .none)
        #expect(try fixture.recovery.useTemporaryPassword(userID: user.id, clientAddress: "10.0.0.1", now: fixture.clock.now()) == false)
        #expect(fixture.recovery.verifier.check(SOIFixture.oldPassword, for: user, now: fixture.clock.now()) == .current)
    }

    @Test("Requests are limited per identity, existing or not, and per client address")
    func rateLimits() throws {
        let fixture = try SOIFixture(limits: RateLimitPolicy(routes: [SOIRecovery.requestRoute: RouteLimits(
            perAddress: RateLimitRule(5, per: 900), perIdentifier: RateLimitRule(2, per: 900))]))
        let now = fixture.clock.now()
        func limited(_ overrides: [String: String], from address: String) throws -> Bool {
            do {
                let request = try SOIFixture.request(overrides)
                _ = try fixture.recovery.requestTemporaryPassword(request, clientAddress: address, now: now) {
                    // What the routes layer passes: the route's limit for this address and identity.
                    try fixture.limiter.check(route: SOIRecovery.requestRoute, address: address,
                                              identifier: request.identifierKey, now: now)
                }
                return false
            } catch let limited as RateLimited {
                return limited.retryAfter > 0
            }
        }
        // The real identity and an unknown one are limited alike: the third request of each.
        for (overrides, address) in [([String: String](), "10.0.0.1"), (["usuario_numero": "55555555"], "10.0.0.2")] {
            #expect(try limited(overrides, from: address) == false)
            #expect(try limited(overrides, from: address) == false)
            #expect(try limited(overrides, from: address) == true)
        }
        // Five requests for five different identities from one address, then the address is limited.
        for number in 1...5 {
            #expect(try limited(["usuario_numero": "7000000\(number)"], from: "10.9.9.9") == false)
        }
        #expect(try limited(["usuario_numero": "80000000"], from: "10.9.9.9") == true)
        // Only the first two requests for the real user sent mail.
        #expect(try fixture.outbox().count == 2)
    }

    @Test("Cambio de Clave: wrong current, each rule, then success drops other sessions and sends the notice")
    func change() throws {
        let fixture = try SOIFixture()
        let now = fixture.clock.now()
        try fixture.database.write { tx in try tx.sessions.create(idHash: "mine", portal: "soi", userID: fixture.user.id, csrfSecret: "a", now: now) }
        try fixture.database.write { tx in try tx.sessions.create(idHash: "other", portal: "soi", userID: fixture.user.id, csrfSecret: "b", now: now) }
        let recovery = fixture.recovery
        func change(_ current: String, _ new: String, _ confirmation: String) throws -> SOIRecovery.ChangeOutcome {
            try recovery.changePassword(userID: fixture.user.id, current: current, new: new, confirmation: confirmation,
                                        keepingSession: "mine", clientAddress: "10.0.0.1", now: now)
        }
        guard case .refused(let wrong) = try change("no-es-la-clave", "caballo correcto grapa", "caballo correcto grapa") else {
            Issue.record("a wrong current password was accepted")
            return
        }
        #expect(wrong.field == "clave_actual")
        guard case .refused(let short) = try change(SOIFixture.oldPassword, "corta", "corta") else {
            Issue.record("a short password was accepted")
            return
        }
        #expect(short.field == "clave_nueva")
        guard case .refused(let mismatch) = try change(SOIFixture.oldPassword, "caballo correcto grapa", "caballo correcto") else {
            Issue.record("a mismatched confirmation was accepted")
            return
        }
        #expect(mismatch.field == "clave_confirmacion")
        #expect(try fixture.reloadUser().passwordHash == fixture.user.passwordHash)
        #expect(try fixture.outbox().isEmpty)

        #expect(try change(SOIFixture.oldPassword, "caballo correcto grapa", "caballo correcto grapa") == .changed)
        let user = try fixture.reloadUser()
        #expect(try fixture.hasher.verify("caballo correcto grapa", against: user.passwordHash))
        #expect(!user.mustChangePassword)
        #expect(try fixture.database.read { tx in try tx.sessions.find(idHash: "mine", now: now) } != nil)
        #expect(try fixture.database.read { tx in try tx.sessions.find(idHash: "other", now: now) } == nil)
        let notice = try #require(try fixture.outbox().last)
        #expect(notice.recipient == SOIFixture.email)
        #expect(notice.subject == "SOI - Su clave fue cambiada")
        #expect(notice.textBody.contains("¿No fue usted?"))
        #expect(notice.textBody.contains("Bogotá: 3808880"))
        #expect(notice.htmlBody.contains("¿No fue usted?"))
        // The audit log holds every step and no secret.
        let entries = try fixture.database.read { tx in try tx.auditLog.recent(userID: fixture.user.id) }
        #expect(entries.contains { $0.event == AuditEvent.passwordChanged.rawValue })
        #expect(entries.contains { $0.event == AuditEvent.passwordRefused.rawValue && $0.detail == "current=wrong" })
        for entry in entries {
            #expect(!entry.detail.contains("caballo"))
            #expect(!entry.detail.contains(SOIFixture.oldPassword))
        }
    }

    @Test("Wrong Clave Actual attempts are limited per user; refused new claves cost no attempt")
    func changeRateLimit() throws {
        let fixture = try SOIFixture(limits: RateLimitPolicy(routes: [SOIRecovery.changeRoute: RouteLimits(
            perAddress: RateLimitRule(100, per: 900), perIdentifier: RateLimitRule(3, per: 900))]))
        let now = fixture.clock.now()
        func attempt(_ current: String, _ new: String) throws -> SOIRecovery.ChangeOutcome {
            try fixture.recovery.changePassword(userID: fixture.user.id, current: current, new: new, confirmation: new,
                                                keepingSession: nil, clientAddress: "10.0.0.1", now: now) {
                // What the routes layer passes: the route's limit for this user.
                try fixture.limiter.check(route: SOIRecovery.changeRoute, address: "10.0.0.1",
                                          identifier: "user:\(fixture.user.id)", now: now)
            }
        }
        for _ in 1...5 {
            guard case .refused(let problem) = try attempt(SOIFixture.oldPassword, "corta") else {
                Issue.record("a short clave was accepted")
                return
            }
            #expect(problem.field == "clave_nueva")
        }
        for _ in 1...3 {
            guard case .refused(let problem) = try attempt("adivinanza-123", "caballo correcto grapa") else {
                Issue.record("a wrong current clave was accepted")
                return
            }
            #expect(problem.field == "clave_actual")
        }
        #expect(throws: RateLimited.self) { try attempt(SOIFixture.oldPassword, "caballo correcto grapa") }
        #expect(try fixture.reloadUser().passwordHash == fixture.user.passwordHash)
    }

    @Test("A pending temporary password is dropped by a change made with the old one")
    func changeDropsTemporary() throws {
        let fixture = try SOIFixture()
        let now = fixture.clock.now()
        _ = try fixture.recovery.requestTemporaryPassword(try SOIFixture.request(), clientAddress: "10.0.0.1", now: now)
        let temporary = try fixture.latestTemporaryPassword()
        #expect(try fixture.recovery.changePassword(userID: fixture.user.id, current: SOIFixture.oldPassword,
                                                    new: "caballo correcto grapa", confirmation: "caballo correcto grapa",
                                                    keepingSession: nil, clientAddress: "10.0.0.1", now: now) == .changed)
        let user = try fixture.reloadUser()
        #expect(fixture.recovery.verifier.check(temporary, for: user, now: now) == .none)
    }
}
