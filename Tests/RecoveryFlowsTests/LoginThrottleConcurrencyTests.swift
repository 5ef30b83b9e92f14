import Foundation
import Synchronization
import RecoveryFlows
import UserStore
import Testing
import TestSupport

/// Logins at once, as several nodes on one PostgreSQL see them: the throttle count runs READ
/// COMMITTED with its keys locked (`LoginThrottleRepository.lockedState`), so guesses under
/// one name take turns and each is counted, and guesses under different names neither wait
/// for nor fail against each other. Under SERIALIZABLE, a count's check of a key not yet
/// counted locked the index page where it would go, and two first guesses at different names
/// on one page failed to serialize; and every request from one address upserted one
/// rate-limit row, which under SERIALIZABLE fails for all but one of those at once. Each ran
/// again, and past the retries answered 503. (16 × 25 guesses: with SERIALIZABLE counts,
/// 26 to 70 transactions ran again on this machine.) On SQLite the same tests hold
/// trivially (one writer), which is what they check there.
@Suite("Logins at once: each guess counted, none failing against another")
struct LoginThrottleConcurrencyTests {
    static let threads = 16
    static let rounds = 25

    /// A harness whose address limit never refuses these bursts: the throttle is under test.
    func harness() throws -> AppHarness {
        try AppHarness {
            $0.rateLimits.routes["secop.login"] = .init(perAddress: .init(10_000, per: 60), perIdentifier: .init(10_000, per: 60))
        }
    }

    /// Every thread's guesses, `name(thread, round)` the user name of each, all at once.
    func guess(_ harness: AppHarness, name: @Sendable @escaping (Int, Int) -> String) -> [Int] {
        let statuses = Mutex<[Int]>([])
        onThreads(Self.threads) { thread in
            let browser = harness.browser()
            for round in 0..<Self.rounds {
                let response = try? browser.fillAndSubmit("/secop/ingreso", ["usuario": name(thread, round), "contrasena": "Rafaga-\(round)"])
                statuses.withLock { $0.append(response?.status ?? 0) }
            }
        }
        return statuses.withLock { $0 }
    }

    @Test("first guesses at different names at once: none is run twice, none refused for it")
    func differentNamesNeverFailAgainstEachOther() throws {
        let harness = try harness()
        let before = harness.database.retriedTransactions
        let statuses = guess(harness) { thread, round in "desconocido-\(thread)-\(round)" }
        #expect(statuses.count == Self.threads * Self.rounds)
        #expect(statuses.allSatisfy { $0 == 422 }, "\(statuses.sorted())")
        #expect(harness.database.retriedTransactions - before == 0, "transactions run again after a serialization failure")
    }

    @Test("guesses at one name at once: every one counted, known account or not", arguments: [false, true])
    func oneNameCountsEveryGuess(known: Bool) throws {
        let harness = try harness()
        let name = known ? AppHarness.Demo.secopUser : "desconocido-comun"
        let before = harness.database.retriedTransactions
        let statuses = guess(harness) { _, _ in name }
        #expect(harness.database.retriedTransactions - before == 0, "guesses under one key take turns: none fails to serialize")
        #expect(statuses.allSatisfy { $0 == 422 || $0 == 429 }, "\(statuses.sorted())")
        let key = harness.context.rateLimiter.identifierKey(route: "secop.login", identifier: name)
        let counted = try harness.database.read { tx in try tx.loginThrottles.state(key: key) }?.failures
        #expect(counted == Self.threads * Self.rounds)
        if known {
            let user = try harness.database.read { tx in try tx.users.findSecop(username: name) }
            #expect(user?.failedLogins == Self.threads * Self.rounds)
        }
    }
}
