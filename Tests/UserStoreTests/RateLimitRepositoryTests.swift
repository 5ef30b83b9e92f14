import ClaveCrypto
import Foundation
import Testing
@testable import UserStore
import TestSupport

@Suite struct RateLimitRepositoryTests {
    let now = StoreFixture.now

    @Test func fixedWindowAllowsLimitThenRefusesWithRetryAfter() throws {
        let store = try StoreFixture()
        for i in 0..<3 {
            let decision = try store.database.write { tx in try tx.rateLimits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(Double(i))) }
            #expect(decision == RateLimitDecision(allowed: true, retryAfter: 0, remaining: 2 - i))
        }
        let refused = try store.database.write { tx in try tx.rateLimits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(10)) }
        #expect(refused == RateLimitDecision(allowed: false, retryAfter: 50, remaining: 0))
        #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "ip:127.0.0.2", window: 60, limit: 3, now: now.addingTimeInterval(10)) }.allowed, "keys are separate")
        #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "ip:127.0.0.1", window: 60, limit: 3, now: now.addingTimeInterval(60)) }.allowed, "new window")
        try store.database.write { tx in try tx.rateLimits.reset(key: "ip:127.0.0.2") }
        #expect(try store.database.write { tx in try tx.rateLimits.purge(before: now.addingTimeInterval(30)) } == 0)
        #expect(try store.database.write { tx in try tx.rateLimits.purge(before: now.addingTimeInterval(61)) } == 1)
    }

    @Test func concurrentHitsNeverExceedTheLimit() throws {
        let store = try StoreFixture()
        let wins = WinCounter()
        onThreads(50) { _ in
            if (try? store.database.write({ tx in try tx.rateLimits.hit(key: "k", window: 60, limit: 7, now: StoreFixture.now) }).allowed) == true { wins.add(0) }
        }
        #expect(wins.counts[0] == 7)
    }
}
