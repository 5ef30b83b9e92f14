import ClaveCrypto
import Foundation
import Testing
@testable import UserStore

@Suite struct CaptchaRepositoryTests {
    let now = StoreFixture.now

    @Test func oneAttemptPerCaptchaCaseSensitive() throws {
        let store = try StoreFixture()
        try store.database.write { tx in try tx.captchas.create(id: "a", answerHash: SHA256.hex("xK7pQ"), expiresAt: now.addingTimeInterval(300), now: now) }
        try store.database.write { tx in try tx.captchas.create(id: "b", answerHash: SHA256.hex("xK7pQ"), expiresAt: now.addingTimeInterval(300), now: now) }
        try store.database.write { tx in try tx.captchas.create(id: "c", answerHash: SHA256.hex("zz"), expiresAt: now.addingTimeInterval(300), now: now) }
        #expect(try store.database.read { tx in try tx.captchas.isActive(id: "a", now: now) })
        #expect(try store.database.write { tx in try tx.captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), now: now) } == .passed)
        #expect(try store.database.write { tx in try tx.captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), now: now) } == .unknown, "one-time")
        #expect(try !store.database.read { tx in try tx.captchas.isActive(id: "a", now: now) })
        #expect(try store.database.write { tx in try tx.captchas.check(id: "b", answerHash: SHA256.hex("XK7PQ"), now: now) } == .wrongAnswer)
        #expect(try store.database.write { tx in try tx.captchas.check(id: "b", answerHash: SHA256.hex("xK7pQ"), now: now) } == .unknown, "a wrong try uses it up")
        #expect(try store.database.write { tx in try tx.captchas.check(id: "c", answerHash: SHA256.hex("zz"), now: now.addingTimeInterval(300)) } == .expired)
        #expect(try store.database.write { tx in try tx.captchas.check(id: "nope", answerHash: SHA256.hex("zz"), now: now) } == .unknown)
    }

    @Test func imageIsServedOnlyWhileTheCaptchaIsActive() throws {
        let store = try StoreFixture()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2]
        try store.database.write { tx in try tx.captchas.create(id: "img", answerHash: SHA256.hex("abc123"), image: png, expiresAt: now.addingTimeInterval(60), now: now) }
        try store.database.write { tx in try tx.captchas.create(id: "bare", answerHash: SHA256.hex("abc123"), expiresAt: now.addingTimeInterval(60), now: now) }
        #expect(try store.database.read { tx in try tx.captchas.image(id: "img", now: now) } == png)
        #expect(try store.database.read { tx in try tx.captchas.image(id: "bare", now: now) } == nil)
        #expect(try store.database.read { tx in try tx.captchas.image(id: "img", now: now.addingTimeInterval(60)) } == nil, "expired")
        _ = try store.database.write { tx in try tx.captchas.check(id: "img", answerHash: SHA256.hex("abc123"), now: now) }
        #expect(try store.database.read { tx in try tx.captchas.image(id: "img", now: now) } == nil, "used")
    }

    @Test func aCaptchaCountsOnlyFromTheSessionItWasDrawnFor() throws {
        let store = try StoreFixture()
        try store.database.write { tx in try tx.captchas.create(id: "a", answerHash: SHA256.hex("xK7pQ"), sessionHash: "browser-a",
                                                                expiresAt: now.addingTimeInterval(300), now: now) }
        #expect(try store.database.write { tx in try tx.captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), sessionHash: "browser-b", now: now) } == .unknown)
        #expect(try store.database.write { tx in try tx.captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), now: now) } == .unknown, "no session is another session")
        #expect(try store.database.read { tx in try tx.captchas.isActive(id: "a", now: now) }, "foreign tries do not burn it")
        #expect(try store.database.write { tx in try tx.captchas.check(id: "a", answerHash: SHA256.hex("xK7pQ"), sessionHash: "browser-a", now: now) } == .passed)
    }

    @Test func purgeDropsExpiredAndUsedCaptchasOnly() throws {
        let store = try StoreFixture()
        try store.database.write { tx in try tx.captchas.create(id: "expired", answerHash: "h", expiresAt: now.addingTimeInterval(10), now: now) }
        try store.database.write { tx in try tx.captchas.create(id: "used", answerHash: "h", expiresAt: now.addingTimeInterval(1000), now: now) }
        try store.database.write { tx in try tx.captchas.create(id: "live", answerHash: "h", expiresAt: now.addingTimeInterval(1000), now: now) }
        _ = try store.database.write { tx in try tx.captchas.check(id: "used", answerHash: "h", now: now.addingTimeInterval(5)) }
        #expect(try store.database.write { tx in try tx.captchas.purge(before: now.addingTimeInterval(20)) } == 2)
        #expect(try store.database.read { tx in try tx.captchas.isActive(id: "live", now: now.addingTimeInterval(20)) })
    }
}
