import ClaveTime
import Foundation
import Testing
import TestSupport
@testable import UserStore

/// The server's secret keys: made on first use from the CSPRNG, then the same bytes in every
/// process and after every restart, one per name and per database file.
@Suite struct ServerKeyRepositoryTests {
    let now = StoreFixture.now

    @Test(.enabled(if: TestStore.isSQLite)) func migrationSixCreatesTheServerKeysTable() throws {
        #expect(Schema.migrations.contains { $0.version == 6 && $0.name == "server keys" })
        let store = try StoreFixture()
        let columns = try store.database.read { tx in try tx.query("SELECT name FROM pragma_table_info('server_keys')") { try $0.string(0) } }
        #expect(columns == ["name", "key", "created_at"])
    }

    @Test func aKeyIsMadeOnFirstUseThenReturnedForever() throws {
        let store = try StoreFixture()
        #expect(try store.database.read { tx in try tx.serverKeys.existingKey(named: "flash") } == nil)
        let first = try store.database.write { tx in try tx.serverKeys.key(named: "flash", now: now) }
        #expect(first.count == 32)
        #expect(first != [UInt8](repeating: 0, count: 32))
        #expect(try store.database.write { tx in try tx.serverKeys.key(named: "flash", now: now.addingTimeInterval(60)) } == first)
        #expect(try store.database.read { tx in try tx.serverKeys.existingKey(named: "flash") } == first)
        let created = try store.database.read { tx in try tx.queryOne("SELECT created_at FROM server_keys WHERE name = 'flash'") { try $0.date(0) } }
        #expect(created == now, "dated by the first use, never rewritten")
        // A restart: a new Database over the same file reads the same key.
        let reopened = try store.database.reopened()
        #expect(try reopened.write { tx in try tx.serverKeys.key(named: "flash", now: now) } == first)
    }

    @Test func keysDifferByNameAndByDatabase() throws {
        let one = try StoreFixture(), two = try StoreFixture()
        let flash = try one.database.write { tx in try tx.serverKeys.key(named: "flash", now: now) }
        let limits = try one.database.write { tx in try tx.serverKeys.key(named: "rate-limit", now: now) }
        let otherFlash = try two.database.write { tx in try tx.serverKeys.key(named: "flash", now: now) }
        #expect(flash != limits)
        #expect(flash != otherFlash)
    }

    /// Two "processes" (two `Database`s, each with its own connections) starting together on a
    /// new file end up with one key: the insert happens inside the write lock.
    @Test func concurrentFirstUsesFromTwoDatabasesAgreeOnOneKey() throws {
        let store = try StoreFixture()
        let other = try store.database.reopened()
        let databases = [store.database, other]
        let keys = KeyLog()
        onThreads(16) { index in
            if let key = try? databases[index % 2].write({ tx in try tx.serverKeys.key(named: "rate-limit", now: StoreFixture.now) }) {
                keys.add(key)
            }
        }
        #expect(keys.all.count == 16)
        #expect(Set(keys.all).count == 1)
        #expect(try store.database.read { tx in try tx.queryOne("SELECT COUNT(*) FROM server_keys") { try $0.int(0) } } == 1)
    }

    @Test(.enabled(if: TestStore.isSQLite)) func aStoredKeyOfTheWrongLengthIsRefusedNotUsed() throws {
        let store = try StoreFixture()
        // The CHECK constraint keeps a short key out of the table...
        #expect(throws: StoreError.self) {
            try store.database.write { tx in try tx.execute("INSERT INTO server_keys (name, key, created_at) VALUES ('x', x'0102', 0)") }
        }
        // ...and a value of another type is refused on read rather than used as a key.
        try store.database.write { tx in
            try tx.execute("PRAGMA ignore_check_constraints = ON")
            try tx.execute("INSERT INTO server_keys (name, key, created_at) VALUES ('y', 'short', 0)")
        }
        #expect(throws: StoreError.self) { try store.database.write { tx in try tx.serverKeys.key(named: "y", now: now) } }
    }
}

/// Collects keys across threads.
final class KeyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [[UInt8]] = []
    var all: [[UInt8]] { lock.lock(); defer { lock.unlock() }; return keys }
    func add(_ key: [UInt8]) { lock.lock(); keys.append(key); lock.unlock() }
}
