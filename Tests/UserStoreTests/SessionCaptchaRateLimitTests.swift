import ClaveCrypto
import Foundation
import Testing
@testable import UserStore

@Suite struct SessionRepositoryTests {
    let now = StoreFixture.now

    @Test func idleAndAbsoluteExpiry() throws {
        let store = try StoreFixture()
        let sessions = SessionRepository(database: store.database)
        let lifetime = SessionLifetime(idle: 100, absolute: 250)
        let created = try sessions.create(idHash: SHA256.hex("cookie"), portal: "cajacopi", userID: nil, csrfSecret: "c", lifetime: lifetime, now: now)
        #expect(try sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(99)) == created)
        #expect(try sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(100)) == nil)
        #expect(try sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(90)))
        #expect(try sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(180)))
        let touched = try #require(try sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(200)))
        #expect(touched.idleExpiresAt == now.addingTimeInterval(250), "idle expiry never passes the absolute one")
        #expect(try sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(250)) == nil)
        #expect(try !sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(251)))
        #expect(try sessions.purgeExpired(now: now.addingTimeInterval(251)) == 1)
    }

    @Test func rotationReplacesTheOldSession() throws {
        let store = try StoreFixture()
        let user = try ResetTokenRepositoryTests.makeUser(store)
        let sessions = SessionRepository(database: store.database)
        try sessions.create(idHash: "old", portal: "secop", userID: nil, csrfSecret: "c1", now: now)
        let rotated = try sessions.rotate(oldIDHash: "old", newIDHash: "new", portal: "secop", userID: user.id, csrfSecret: "c2", now: now)
        #expect(try sessions.find(idHash: "old", now: now) == nil)
        #expect(try sessions.find(idHash: "new", now: now) == rotated)
        #expect(rotated.userID == user.id && rotated.csrfSecret == "c2")
        try sessions.end(idHash: "new")
        #expect(try sessions.find(idHash: "new", now: now) == nil)
    }
}

@Suite struct CaptchaRepositoryTests {
    let now = StoreFixture.now

    @Test func oneAttemptPerCaptchaCaseSensitive() throws {
        let store = try StoreFixture()
        let captchas = CaptchaRepository(database: store.database)
        try captchas.create(id: "a", answerHash: SHA256.hex("xK7pQ"), expiresAt: now.addingTimeInterval(300), now: now)
        try captchas.create(id: "b", answerHash: SHA256.hex("xK7pQ"), expiresAt: now.addingTimeInterval(300), now: now)
        try captchas.create(id: "c", answerHash: SHA256.hex("zz"), expiresAt: now.addingTimeInterval(300), now: now)
        #expect(try captchas.isActive(id: "a", now: now))
        #expect(try captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), now: now) == .passed)
        #expect(try captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), now: now) == .unknown, "one-time")
        #expect(try !captchas.isActive(id: "a", now: now))
        #expect(try captchas.check(id: "b", answerHash: SHA256.hex("XK7PQ"), now: now) == .wrongAnswer)
        #expect(try captchas.check(id: "b", answerHash: SHA256.hex("xK7pQ"), now: now) == .unknown, "a wrong try uses it up")
        #expect(try captchas.check(id: "c", answerHash: SHA256.hex("zz"), now: now.addingTimeInterval(300)) == .expired)
        #expect(try captchas.check(id: "nope", answerHash: SHA256.hex("zz"), now: now) == .unknown)
    }

    @Test func imageIsServedOnlyWhileTheCaptchaIsActive() throws {
        let store = try StoreFixture()
        let captchas = CaptchaRepository(database: store.database)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2]
        try captchas.create(id: "img", answerHash: SHA256.hex("abc123"), image: png, expiresAt: now.addingTimeInterval(60), now: now)
        try captchas.create(id: "bare", answerHash: SHA256.hex("abc123"), expiresAt: now.addingTimeInterval(60), now: now)
        #expect(try captchas.image(id: "img", now: now) == png)
        #expect(try captchas.image(id: "bare", now: now) == nil)
        #expect(try captchas.image(id: "img", now: now.addingTimeInterval(60)) == nil, "expired")
        _ = try captchas.check(id: "img", answerHash: SHA256.hex("abc123"), now: now)
        #expect(try captchas.image(id: "img", now: now) == nil, "used")
    }
}

@Suite struct RateLimitRepositoryTests {
    let now = StoreFixture.now

    @Test func fixedWindowAllowsLimitThenRefusesWithRetryAfter() throws {
        let store = try StoreFixture()
        let limits = RateLimitRepository(database: store.database)
        for i in 0..<3 {
            let decision = try limits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(Double(i)))
            #expect(decision == RateLimitDecision(allowed: true, retryAfter: 0, remaining: 2 - i))
        }
        let refused = try limits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(10))
        #expect(refused == RateLimitDecision(allowed: false, retryAfter: 50, remaining: 0))
        #expect(try limits.hit(key: "ip:127.0.0.2", window: 60, limit: 3, now: now.addingTimeInterval(10)).allowed, "keys are separate")
        #expect(try limits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(60)).allowed, "new window")
        try limits.reset(key: "ip:127.0.0.2")
        #expect(try limits.purge(before: now.addingTimeInterval(30)) == 0)
        #expect(try limits.purge(before: now.addingTimeInterval(61)) == 1)
    }

    @Test func concurrentHitsNeverExceedTheLimit() throws {
        let store = try StoreFixture()
        let limits = RateLimitRepository(database: store.database)
        let wins = WinCounter()
        DispatchQueue.concurrentPerform(iterations: 50) { _ in
            if (try? limits.hit(key: "k", window: 60, limit: 7, now: StoreFixture.now).allowed) == true { wins.add(0) }
        }
        #expect(wins.counts[0] == 7)
    }
}

@Suite struct PasswordVerifierTests {
    let now = StoreFixture.now

    @Test func matchesCurrentTemporaryOrNone() throws {
        let store = try StoreFixture()
        let hasher = PasswordHasher(cost: .testing)
        let verifier = try PasswordVerifier(hasher: hasher)
        let users = UserRepository(database: store.database)
        let user = try users.create(try NewUser(portal: .secop, username: "vera", email: #require(EmailAddress("v@example.com"))),
                                    passwordHash: try hasher.hash("Actual-2026"), now: now)
        let mail = NewOutboxMessage(portal: "soi", sender: "s", recipient: "v@example.com", subject: "s", textBody: "t", htmlBody: "h")
        try users.setTemporaryPassword(id: user.id, hash: try hasher.hash("Temporal-99"), expiresAt: now.addingTimeInterval(60), now: now, email: mail)
        let stored = try #require(try users.find(id: user.id))
        #expect(verifier.check("Actual-2026", for: stored, now: now) == .current)
        #expect(verifier.check("Temporal-99", for: stored, now: now) == .temporary)
        #expect(verifier.check("Temporal-99", for: stored, now: now.addingTimeInterval(60)) == .none, "expired")
        #expect(verifier.check("otra", for: stored, now: now) == .none)
        #expect(verifier.check("Actual-2026", for: nil, now: now) == .none)
        var broken = stored
        broken.passwordHash = "not a hash"
        #expect(verifier.check("Actual-2026", for: broken, now: now) == .none)
    }
}
