import Foundation
import Testing
@testable import UserStore

/// `spent_captchas` (migration 9): a captcha is no row until it is used; recording its id is
/// what makes it one-time.
@Suite struct CaptchaRepositoryTests {
    let now = StoreFixture.now

    @Test func anIdIsSpentOnceAndOnlyOnce() throws {
        let store = try StoreFixture()
        let expiry = now.addingTimeInterval(300)
        #expect(try !store.database.read { tx in try tx.captchas.isSpent(id: "a") })
        #expect(try store.database.write { tx in try tx.captchas.spend(id: "a", expiresAt: expiry, now: now) })
        #expect(try !store.database.write { tx in try tx.captchas.spend(id: "a", expiresAt: expiry, now: now) }, "one-time")
        #expect(try store.database.read { tx in try tx.captchas.isSpent(id: "a") })
        #expect(try !store.database.read { tx in try tx.captchas.isSpent(id: "b") }, "ids are independent")
        #expect(try store.database.write { tx in try tx.captchas.spend(id: "b", expiresAt: expiry, now: now) })
    }

    @Test func purgeDropsRecordsOfExpiredIdsOnly() throws {
        let store = try StoreFixture()
        _ = try store.database.write { tx in try tx.captchas.spend(id: "expired", expiresAt: now.addingTimeInterval(10), now: now) }
        _ = try store.database.write { tx in try tx.captchas.spend(id: "live", expiresAt: now.addingTimeInterval(1000), now: now) }
        #expect(try store.database.write { tx in try tx.captchas.purge(before: now.addingTimeInterval(20)) } == 1)
        #expect(try store.database.read { tx in try tx.captchas.isSpent(id: "live") }, "a live id stays spent")
        #expect(try !store.database.read { tx in try tx.captchas.isSpent(id: "expired") })
    }
}
