import ClaveCrypto
import Foundation
import Testing
@testable import UserStore

@Suite struct SessionRepositoryTests {
    let now = StoreFixture.now

    @Test func idleAndAbsoluteExpiry() throws {
        let store = try StoreFixture()
        let lifetime = SessionLifetime(idle: 100, absolute: 250)
        let created = try store.database.write { tx in try tx.sessions.create(idHash: SHA256.hex("cookie"), portal: "cajacopi", userID: nil, csrfSecret: "c", lifetime: lifetime, now: now) }
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(99)) } == created)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(100)) } == nil)
        #expect(try store.database.write { tx in try tx.sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(90)) })
        #expect(try store.database.write { tx in try tx.sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(180)) })
        let touched = try #require(try store.database.read { tx in try tx.sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(200)) })
        #expect(touched.idleExpiresAt == now.addingTimeInterval(250), "idle expiry never passes the absolute one")
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: SHA256.hex("cookie"), now: now.addingTimeInterval(250)) } == nil)
        #expect(try !store.database.write { tx in try tx.sessions.touch(idHash: SHA256.hex("cookie"), lifetime: lifetime, now: now.addingTimeInterval(251)) })
        #expect(try store.database.write { tx in try tx.sessions.purgeExpired(now: now.addingTimeInterval(251)) } == 1)
    }

    @Test func rotationReplacesTheOldSession() throws {
        let store = try StoreFixture()
        let user = try ResetTokenRepositoryTests.makeUser(store)
        try store.database.write { tx in try tx.sessions.create(idHash: "old", portal: "secop", userID: nil, csrfSecret: "c1", now: now) }
        let rotated = try store.database.write { tx in try tx.sessions.rotate(oldIDHash: "old", newIDHash: "new", portal: "secop", userID: user.id, csrfSecret: "c2", now: now) }
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "old", now: now) } == nil)
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "new", now: now) } == rotated)
        #expect(rotated.userID == user.id && rotated.csrfSecret == "c2")
        try store.database.write { tx in try tx.sessions.end(idHash: "new") }
        #expect(try store.database.read { tx in try tx.sessions.find(idHash: "new", now: now) } == nil)
    }
}
