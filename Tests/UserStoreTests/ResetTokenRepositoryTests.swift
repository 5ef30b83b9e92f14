import ClaveCrypto
import Foundation
import Synchronization
import Testing
@testable import UserStore
import TestSupport

@Suite struct ResetTokenRepositoryTests {
    let now = StoreFixture.now

    static func makeUser(_ store: StoreFixture, name: String = "ana") throws -> User {
        try store.database.write { tx in try tx.users.create(
            try NewUser(portal: .secop, username: name, email: #require(EmailAddress("\(name)@example.com"))),
            passwordHash: "h", now: StoreFixture.now) }
    }

    static func mail(_ link: String) -> NewOutboxMessage {
        NewOutboxMessage(portal: "secop", sender: "SECOP II <registro@secop.example>", recipient: "ana@example.com",
                         subject: "Restablecer contraseña", textBody: link, htmlBody: "<a href=\"\(link)\">enlace</a>")
    }

    @Test func issuedTokenStoresOnlyItsHashAndItsEmailInOneGo() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        let token = try SecureRandom.token()
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: SHA256.hex(token),
                                                                  expiresAt: now.addingTimeInterval(1800), now: now, email: Self.mail("https://x/t?token=\(token)")) }
        let lookup = try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: SHA256.hex(token), now: now) }
        #expect(lookup.status == .valid && lookup.token?.userID == user.id)
        let stored = try store.database.read { c in try c.query("SELECT token_hash FROM reset_tokens") { try $0.string(0) } }
        #expect(stored == [SHA256.hex(token)])
        #expect(!stored.contains(token))
        #expect(try store.database.read { tx in try tx.outbox.list(states: [.pending], limit: 10) }.count == 1)
    }

    @Test func tokenAndEmailRollBackTogether() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "same", expiresAt: now.addingTimeInterval(60),
                                                                  now: now, email: Self.mail("1")) }
        // A second token with a clashing hash fails: neither its supersede, nor its email, stays.
        #expect(throws: StoreError.self) {
            try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "same",
                                                                      expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("2")) }
        }
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "same", now: now) }.status == .valid)
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 10) }.map(\.textBody) == ["1"])
    }

    @Test func statusesUnknownExpiredUsedSuperseded() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "first", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("1")) }
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "second", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("2")) }
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: TokenPurpose(rawValue: "other"), tokenHash: "other", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("3")) }

        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "nope", now: now) } == ResetTokenLookup(status: .unknown, token: nil))
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "first", now: now) }.status == .superseded)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "first", now: now) }.status == .superseded)
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "other", now: now) }.status == .valid, "other purposes are not superseded")
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "second", now: now.addingTimeInterval(60)) }.status == .expired)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "second", now: now.addingTimeInterval(61)) }.status == .expired)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "second", now: now.addingTimeInterval(5)) }.status == .valid)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "second", now: now.addingTimeInterval(6)) }.status == .used)
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "second", now: now.addingTimeInterval(6)) }.status == .used)
    }

    @Test func passwordChangeDropsEveryTokenAndSession() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "t", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("1")) }
        try store.database.write { tx in try tx.sessions.create(idHash: "s1", portal: "secop", userID: user.id, csrfSecret: "c", now: now) }
        try store.database.write { tx in try tx.sessions.create(idHash: "anon", portal: "secop", userID: nil, csrfSecret: "c", now: now) }
        try store.database.write { tx in try tx.users.changePassword(id: user.id, newHash: "new", now: now) }
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "t", now: now) }.status == .used)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "s1", now: now) } == nil)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "anon", now: now) } != nil)
    }

    @Test func aTokenIsUnknownOnAnotherPortalOrPurposeAndStaysUnused() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "secop",
                                                                  expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("1")) }
        let other = TokenPurpose(rawValue: "other")
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "secop", portal: .cajacopi, purpose: .passwordReset, now: now) } == ResetTokenLookup(status: .unknown, token: nil))
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "secop", portal: .secop, purpose: other, now: now) }.status == .unknown)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "secop", portal: .cajacopi, purpose: .passwordReset, now: now) }.status == .unknown)
        #expect(try store.database.write { tx in try tx.resetTokens.redeemAndChangePassword(
            tokenHash: "secop", portal: .soi, purpose: .passwordReset, newPasswordHash: "new", now: now) }.status == .unknown)
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.passwordHash == "h")
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "secop", portal: .secop, purpose: .passwordReset, now: now) }.status == .valid)
        #expect(try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "secop", portal: .secop, purpose: .passwordReset, now: now) }.status == .valid)
    }

    @Test func redeemAndChangePasswordLiftsTheLockAndForgetsTheLoginThrottle() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in
            for _ in 0..<4 { try tx.users.recordFailedLogin(id: user.id, now: now) }
            try tx.users.lock(id: user.id, until: now.addingTimeInterval(600), now: now)
            try tx.loginThrottles.save(LoginThrottleState(failures: 20, windowStartedAt: now, nextAttemptAt: now.addingTimeInterval(86_400)),
                                       key: "id:secop.login:ana", userID: user.id, now: now)
            try tx.loginThrottles.save(LoginThrottleState(failures: 5, windowStartedAt: now, nextAttemptAt: now),
                                       key: "device:ana-browser", userID: user.id, now: now)
            _ = try tx.rateLimits.hit(key: "id:secop.login:ana", window: 900, limit: 1, now: now)
            _ = try tx.rateLimits.hit(key: "id:secop.login:otro", window: 900, limit: 1, now: now)
            try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "link", expiresAt: now.addingTimeInterval(60),
                                     now: now, email: Self.mail("1"))
        }
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.isLocked(at: now) == true)
        _ = try store.database.write { tx in try tx.resetTokens.redeemAndChangePassword(
            tokenHash: "link", portal: .secop, purpose: .passwordReset, newPasswordHash: "new", now: now,
            clearingRateLimitKeys: ["id:secop.login:ana"]) }
        let after = try #require(try store.database.read { tx in try tx.users.find(id: user.id) })
        #expect(after.lockedUntil == nil && after.failedLogins == 0)
        #expect(try store.database.read { tx in try tx.loginThrottles.state(key: "id:secop.login:ana") } == nil)
        #expect(try store.database.read { tx in try tx.loginThrottles.state(key: "device:ana-browser") } == nil)
        #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "id:secop.login:ana", window: 900, limit: 1, now: now) }.allowed)
        #expect(try !store.database.write { tx in try tx.rateLimits.hit(key: "id:secop.login:otro", window: 900, limit: 1, now: now) }.allowed,
                "other identifiers keep their counters")
    }

    @Test func redeemAndChangePasswordIsAllOrNothing() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "link", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("1")) }
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: TokenPurpose(rawValue: "other"), tokenHash: "other", expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("2")) }
        try store.database.write { tx in try tx.sessions.create(idHash: "s", portal: "secop", userID: user.id, csrfSecret: "c", now: now) }

        // An expired link changes nothing.
        #expect(try store.database.write { tx in try tx.resetTokens.redeemAndChangePassword(tokenHash: "link", newPasswordHash: "new", now: now.addingTimeInterval(61)) }.status == .expired)
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.passwordHash == "h")

        let result = try store.database.write { tx in
            try tx.resetTokens.redeemAndChangePassword(tokenHash: "link", newPasswordHash: "new", now: now.addingTimeInterval(5)) { token in
                NewOutboxMessage(portal: "cajacopi", sender: "s", recipient: "ana@example.com", subject: "Su contraseña fue cambiada",
                                 textBody: "usuario \(token.userID)", htmlBody: "h")
            }
        }
        #expect(result.status == .valid && result.token?.userID == user.id)
        let outbox = try store.database.read { tx in try tx.outbox.list(states: [.pending], limit: 10) }
        #expect(outbox.first?.subject == "Su contraseña fue cambiada" && outbox.first?.textBody == "usuario \(user.id)")
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.passwordHash == "new")
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "other", now: now) }.status == .used, "every other token dropped")
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "s", now: now) } == nil)
        #expect(try store.database.write { tx in try tx.resetTokens.redeemAndChangePassword(tokenHash: "link", newPasswordHash: "again", now: now.addingTimeInterval(6)) }.status == .used)
        #expect(try store.database.read { tx in try tx.users.find(id: user.id) }?.passwordHash == "new")
    }

    @Test func purgeDropsOnlyTokensExpiredBeforeTheCutoff() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "old", expiresAt: now.addingTimeInterval(10), now: now, email: Self.mail("1")) }
        try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: TokenPurpose(rawValue: "x"), tokenHash: "new", expiresAt: now.addingTimeInterval(100), now: now, email: Self.mail("2")) }
        #expect(try store.database.write { tx in try tx.resetTokens.purge(expiredBefore: now.addingTimeInterval(50)) } == 1)
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "old", now: now) }.status == .unknown)
        #expect(try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "new", now: now) }.status == .valid)
    }

    @Test func passwordChangeCanKeepTheSessionThatMadeIt() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        try store.database.write { tx in try tx.sessions.create(idHash: "here", portal: "soi", userID: user.id, csrfSecret: "c", now: now) }
        try store.database.write { tx in try tx.sessions.create(idHash: "elsewhere", portal: "soi", userID: user.id, csrfSecret: "c", now: now) }
        try store.database.write { tx in try tx.users.changePassword(id: user.id, newHash: "new", keepingSession: "here", now: now) }
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "here", now: now) } != nil)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "elsewhere", now: now) } == nil)
        try store.database.write { tx in try tx.resetTokens.dropAllTokensAndSessions(userID: user.id, now: now) }
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "here", now: now) } == nil)
    }

    /// The row lock `issue` takes on PostgreSQL (READ COMMITTED, as the flows run it): eight
    /// requests for one user at once, round after round, leave one live link each round.
    @Test func concurrentRequestsLeaveOneLiveLink() throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        let failures = Mutex<[String]>([])
        let threads = 8
        for round in 0..<15 {
            // Threads of their own (not the cooperative pool, as wide as the cores), released
            // together so that their transactions overlap.
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for thread in 0..<threads {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    start.wait()
                    do {
                        try store.database.writeLockingRows { tx in
                            try tx.resetTokens.issue(userID: user.id, purpose: .passwordReset, tokenHash: "r\(round)-\(thread)",
                                                     expiresAt: StoreFixture.now.addingTimeInterval(60), now: StoreFixture.now,
                                                     email: Self.mail("r\(round)-\(thread)"))
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            for _ in 0..<threads { start.signal() }
            done.wait()
            let live = try (0..<threads).filter { thread in
                try store.database.read { tx in try tx.resetTokens.lookup(tokenHash: "r\(round)-\(thread)", now: now) }.status == .valid
            }
            #expect(live.count == 1, "round \(round): live links from threads \(live)")
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(try store.database.read { tx in try tx.outbox.list(states: [.pending], limit: 200) }.count == 15 * threads)
    }

    @Test func concurrentRedemptionsSucceedExactlyOncePerToken() async throws {
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        let purposes = (0..<40).map { TokenPurpose(rawValue: "p\($0)") }
        // Issue from several threads at once, then redeem every token from several threads at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, purpose) in purposes.enumerated() {
                group.addTask {
                    _ = try store.database.write { tx in try tx.resetTokens.issue(userID: user.id, purpose: purpose, tokenHash: "h\(index)",
                                                                              expiresAt: StoreFixture.now.addingTimeInterval(60), now: StoreFixture.now,
                                                                              email: Self.mail("\(index)")) }
                }
            }
            try await group.waitForAll()
        }
        let results = try await withThrowingTaskGroup(of: (Int, ResetTokenStatus).self) { group in
            for round in 0..<4 {
                for index in purposes.indices {
                    group.addTask {
                        _ = round
                        return (index, try store.database.write { tx in try tx.resetTokens.redeem(tokenHash: "h\(index)", now: StoreFixture.now) }.status)
                    }
                }
            }
            var all: [(Int, ResetTokenStatus)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 160)
        for index in purposes.indices {
            let statuses = results.filter { $0.0 == index }.map(\.1)
            #expect(statuses.filter { $0 == .valid }.count == 1, "token \(index)")
            #expect(statuses.filter { $0 == .used }.count == 3, "token \(index)")
        }
        #expect(try store.database.read { tx in try tx.outbox.list(states: nil, limit: 100) }.count == 40)
    }

    @Test func concurrentRedemptionsAcrossTwoDatabaseHandles() throws {
        // Two Database objects on one file behave like two processes: SQLite's lock and the
        // UPDATE guard, not our in-process lock, keep redemption single-use.
        let store = try StoreFixture()
        let user = try Self.makeUser(store)
        let other = try store.database.reopened()
        let a = store.database, b = other
        for i in 0..<30 {
            try a.write { tx in
                try tx.resetTokens.issue(userID: user.id, purpose: TokenPurpose(rawValue: "p\(i)"), tokenHash: "x\(i)",
                                         expiresAt: now.addingTimeInterval(60), now: now, email: Self.mail("\(i)"))
            }
        }
        let wins = WinCounter()
        onThreads(60) { n in
            let database = n % 2 == 0 ? a : b
            if (try? database.write({ tx in try tx.resetTokens.redeem(tokenHash: "x\(n / 2)", now: StoreFixture.now) }).status) == .valid {
                wins.add(n / 2)
            }
        }
        #expect(wins.counts.count == 30)
        #expect(wins.counts.values.allSatisfy { $0 == 1 })
    }
}
