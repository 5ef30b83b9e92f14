import ClaveCrypto
import Foundation
import Testing
@testable import UserStore

@Suite struct UserRepositoryTests {
    let now = StoreFixture.now

    func email(_ text: String) throws -> EmailAddress { try #require(EmailAddress(text)) }

    @Test func soiUserIsFoundByAportanteAndDocument() throws {
        let store = try StoreFixture()
        let company = try Document(parsing: "NIT:900123456-8")
        let aportante = try store.database.write { tx in try tx.users.createAportante(document: company, name: "Constructora Andina S.A.S.", now: now) }
        let person = try Document(parsing: "CC:1234567890")
        let created = try store.database.write { tx in try tx.users.create(
            try NewUser(portal: .soi, document: person, aportanteID: aportante.id, email: email("ana@example.com")),
            passwordHash: "$scrypt$x", now: now) }
        #expect(created.portal == .soi && created.aportanteID == aportante.id && created.document == person)
        #expect(created.createdAt == now && created.failedLogins == 0 && !created.mustChangePassword)
        #expect(try store.database.read { tx in try tx.users.findSOI(aportante: company, user: person) } == created)
        #expect(try store.database.read { tx in try tx.users.findSOI(aportante: try Document(parsing: "NIT:900123457"), user: person) } == nil)
        #expect(try store.database.read { tx in try tx.users.findSOI(aportante: company, user: try Document(parsing: "CE:1234567890")) } == nil)
        #expect(try store.database.read { tx in try tx.users.findAportante(document: company) }?.name == "Constructora Andina S.A.S.")
        #expect(try store.database.write { tx in try tx.users.findOrCreateAportante(document: company, name: "Otro", now: now) } == aportante)
    }

    @Test func duplicatesAreTypedPerPortalRules() throws {
        let store = try StoreFixture()
        _ = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "ana.perez", email: email("ana@example.com")), passwordHash: "h", now: now) }
        // SECOP user names are unique case-insensitively; emails may repeat.
        #expect(throws: StoreError.self) {
            try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "ANA.PEREZ", email: email("x@example.com")), passwordHash: "h", now: now) }
        }
        _ = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "ana.compras", email: email("ana@example.com")), passwordHash: "h", now: now) }
        #expect(try store.database.read { tx in try tx.users.findSecop(email: "ANA@example.com") }.map(\.username) == ["ana.perez", "ana.compras"])
        #expect(try store.database.read { tx in try tx.users.findSecop(username: "Ana.Perez") }?.username == "ana.perez")

        let member = try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:55555555"), email: email("luis@example.com"),
                                 phone: "3001234567", birthDate: CalendarDate("1985-06-15"))
        _ = try store.database.write { tx in try tx.users.create(member, passwordHash: "h", now: now) }
        do {
            _ = try store.database.write { tx in try tx.users.create(try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:66666666"),
                                                                                 email: email("LUIS@example.com"), phone: "3001234567",
                                                                                 birthDate: CalendarDate("1985-06-15")), passwordHash: "h", now: now) }
            Issue.record("expected duplicate email")
        } catch let error as StoreError {
            #expect(error.isDuplicate)
        }
        // A SECOP account may use an email a Cajacopi member uses: uniqueness is per portal.
        _ = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "luis", email: email("luis@example.com")), passwordHash: "h", now: now) }
        #expect(try store.database.read { tx in try tx.users.findCajacopi(email: "Luis@Example.com") }?.document?.number == "55555555")
        #expect(try store.database.read { tx in try tx.users.list(portal: .secop) }.count == 3)
        #expect(try store.database.read { tx in try tx.users.list() }.count == 4)
    }

    @Test func unknownAportanteIsAForeignKeyError() throws {
        let store = try StoreFixture()
        do {
            _ = try store.database.write { tx in try tx.users.create(try NewUser(portal: .soi, document: try Document(parsing: "CC:123456"), aportanteID: 77,
                                                                                 email: email("a@example.com")), passwordHash: "h", now: now) }
            Issue.record("expected a foreign key error")
        } catch let error as StoreError {
            guard case .constraint(.foreignKey, _) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func newUserValidationPerPortal() throws {
        let mail = try email("a@example.com")
        #expect(throws: UserValidationError.missing("user name")) { try NewUser(portal: .secop, email: mail) }
        #expect(throws: UserValidationError.self) { try NewUser(portal: .secop, username: "a b", email: mail) }
        #expect(throws: UserValidationError.missing("aportante")) { try NewUser(portal: .soi, email: mail) }
        #expect(throws: UserValidationError.missing("phone")) {
            try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:123456"), email: mail)
        }
        #expect(throws: UserValidationError.self) {
            try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:123456"), email: mail, phone: "12ab",
                        birthDate: CalendarDate("1990-01-01"))
        }
    }

    /// Failures are counted and never lock (a stranger's guesses must not keep the owner out:
    /// the login throttle slows them instead); only staff lock, and unlocking also clears the
    /// account's login throttles.
    @Test func failedLoginsCountButOnlyStaffLockAndUnlock() throws {
        let store = try StoreFixture()
        let user = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "pedro", email: email("p@example.com")), passwordHash: "h", now: now) }
        for attempt in 1...120 {
            let after = try store.database.write { tx in try tx.users.recordFailedLogin(id: user.id, now: now) }
            #expect(after.failedLogins == attempt && !after.isLocked(at: now))
        }
        try store.database.write { tx in
            try tx.users.lock(id: user.id, until: now.addingTimeInterval(600), now: now)
            try tx.loginThrottles.save(LoginThrottleState(failures: 9, windowStartedAt: now, nextAttemptAt: now.addingTimeInterval(60)),
                                       key: "id:secop.login:pedro", userID: user.id, now: now)
        }
        let locked = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(locked.isLocked(at: now.addingTimeInterval(599)))
        #expect(!locked.isLocked(at: now.addingTimeInterval(600)))
        try store.database.write { tx in try tx.users.unlock(id: user.id, now: now) }
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.isLocked(at: now) == false)
        #expect(try store.database.read { tx in try tx.loginThrottles.state(key: "id:secop.login:pedro") } == nil)
        #expect(throws: StoreError.notFound("user 999")) { try store.database.write { tx in try tx.users.lock(id: 999, until: now, now: now) } }
        #expect(throws: StoreError.notFound("user 999")) { try store.database.write { tx in try tx.users.recordFailedLogin(id: 999, now: now) } }
    }

    @Test func temporaryPasswordSitsBesideTheOldOneUntilUsed() throws {
        let store = try StoreFixture()
        let company = try store.database.write { tx in try tx.users.createAportante(document: try Document(parsing: "NIT:900123456"), name: "X", now: now) }
        let user = try store.database.write { tx in try tx.users.create(try NewUser(portal: .soi, document: try Document(parsing: "CC:998877"), aportanteID: company.id,
                                                                                    email: email("soi@example.com")), passwordHash: "old", now: now) }
        let mail = NewOutboxMessage(portal: "soi", sender: "SOI <no-responder@soi.example>", recipient: "soi@example.com",
                                    subject: "Clave temporal", textBody: "Su clave temporal", htmlBody: "<p>Su clave temporal</p>")
        let outboxID = try store.database.write { tx in try tx.users.setTemporaryPassword(id: user.id, hash: "temp", expiresAt: now.addingTimeInterval(3600), now: now, email: mail) }
        let pending = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(pending.passwordHash == "old")
        #expect(pending.activeTemporaryPasswordHash(at: now) == "temp")
        #expect(pending.activeTemporaryPasswordHash(at: now.addingTimeInterval(3600)) == nil)
        #expect(try store.database.read { tx in try tx.outbox.find(id: outboxID) }?.recipient == "soi@example.com")

        #expect(try store.database.write { tx in try tx.users.promoteTemporaryPassword(id: user.id, now: now.addingTimeInterval(10)) })
        let promoted = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(promoted.passwordHash == "temp" && promoted.mustChangePassword && promoted.temporaryPasswordHash == nil)
        #expect(try !store.database.write { tx in try tx.users.promoteTemporaryPassword(id: user.id, now: now.addingTimeInterval(11)) })

        let confirmation = NewOutboxMessage(portal: "soi", sender: "s", recipient: "soi@example.com", subject: "Clave cambiada",
                                            textBody: "t", htmlBody: "h")
        try store.database.write { tx in try tx.users.changePassword(id: user.id, newHash: "new", confirmation: confirmation, now: now.addingTimeInterval(20)) }
        let changed = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(changed.passwordHash == "new" && !changed.mustChangePassword)
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.map(\.subject) == ["Clave cambiada", "Clave temporal"])
        #expect(throws: StoreError.notFound("user 999")) { try store.database.write { tx in try tx.users.changePassword(id: 999, newHash: "x", confirmation: confirmation, now: now) } }
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.count == 2, "nothing enqueued for a failed change")
    }

    @Test func expiredTemporaryPasswordCannotBePromoted() throws {
        let store = try StoreFixture()
        let user = try store.database.write { tx in try tx.users.create(try NewUser(portal: .secop, username: "eva", email: email("e@example.com")), passwordHash: "old", now: now) }
        let mail = NewOutboxMessage(portal: "soi", sender: "s", recipient: "e@example.com", subject: "s", textBody: "t", htmlBody: "h")
        try store.database.write { tx in try tx.users.setTemporaryPassword(id: user.id, hash: "temp", expiresAt: now.addingTimeInterval(60), now: now, email: mail) }
        #expect(try !store.database.write { tx in try tx.users.promoteTemporaryPassword(id: user.id, now: now.addingTimeInterval(60)) })
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.passwordHash == "old")
    }
}
