import ClaveLog
import Foundation
import Testing
import TestSupport
@testable import UserStore

/// Periodic jobs shared by every process on one store run on one process at a time.
@Suite struct MaintenanceLeaseTests {
    let now = StoreFixture.now

    @Test func aLiveLeaseKeepsOthersOutUntilItEnds() throws {
        let store = try StoreFixture()
        func acquire(_ holder: String, at instant: Date) throws -> Bool {
            try store.database.write { tx in
                try tx.maintenanceLeases.acquire("job", holder: holder, until: instant.addingTimeInterval(60), now: instant)
            }
        }
        #expect(try acquire("a", at: now))
        #expect(try !acquire("b", at: now.addingTimeInterval(59)), "a's lease runs to +60")
        #expect(try acquire("a", at: now.addingTimeInterval(30)), "the holder renews its own lease")
        #expect(try !acquire("b", at: now.addingTimeInterval(89)))
        #expect(try acquire("b", at: now.addingTimeInterval(90)), "the renewed lease ended at +90")
        #expect(try store.database.read { tx in try tx.maintenanceLeases.holder(of: "job") }?.holder == "b")
    }

    @Test func twoProcessesAskingAtOnceGiveOneHolder() throws {
        let store = try StoreFixture()
        let handles = [store.database, try store.database.reopened()]
        let wins = WinCounter()
        onThreads(8) { i in
            let won = (try? handles[i % 2].write { tx in
                try tx.maintenanceLeases.acquire("job", holder: "holder-\(i)", until: now.addingTimeInterval(60), now: now)
            }) ?? false
            if won { wins.add(i) }
        }
        #expect(wins.counts.count == 1, "exactly one of eight holders got the lease: \(wins.counts)")
    }

    @Test func housekeepingOnTwoNodesPurgesOnOneAtATime() throws {
        let store = try StoreFixture()
        let quiet = Logger(label: "test", level: .error)
        let first = Housekeeping(database: store.database, interval: 600, logger: quiet)
        let second = Housekeeping(database: try store.database.reopened(), interval: 600, logger: quiet)
        #expect(first.runOnce(), "the first node to run takes the lease and purges")
        #expect(!second.runOnce(), "the other node skips while the lease runs (9 of the 10 minutes)")
        #expect(first.runOnce(), "the holder keeps its turn")
    }
}
