import Foundation
import TestSupport
import Testing
@_spi(RawSQL) @testable import UserStore

/// Text reaches SQLite with its byte length, never as a C string: a value with an embedded NUL
/// is stored and compared whole, so `demo.secop\0x` is not `demo.secop` to the store while
/// the rate limiter counts it as a new name. PostgreSQL's text cannot hold a NUL at all: there
/// the store refuses such a value with a typed error before it is sent (never cut short).
@Suite struct TextBindingTests {
    let now = StoreFixture.now

    @Test(.enabled(if: TestStore.isSQLite)) func textWithAnEmbeddedNULRoundTripsWhole() throws {
        let store = try StoreFixture()
        let text = "demo.secop\u{0}x"
        let read = try store.database.write { tx in
            try tx.execute("CREATE TABLE texts (value TEXT NOT NULL)")
            try tx.execute("INSERT INTO texts (value) VALUES (?1)", [text])
            return try tx.queryOne("SELECT value, length(CAST(value AS BLOB)) FROM texts", [], { row in
                (try row.string(0), try row.int64(1))
            })
        }
        #expect(read?.0 == text, "read back whole, not cut at the NUL")
        #expect(read?.1 == Int64(text.utf8.count), "stored with all \(text.utf8.count) bytes")
    }

    @Test(.enabled(if: !TestStore.isSQLite)) func postgresRefusesTextWithANULInsteadOfCuttingIt() throws {
        let store = try StoreFixture()
        #expect(throws: StoreError.self) {
            try store.database.write { tx in try tx.rateLimits.hit(key: "id:a\u{0}b", window: 60, limit: 2, now: now) }
        }
        let found = try? store.database.read { tx in try tx.users.findSecop(username: "demo.secop\u{0}x") }
        #expect(found == nil, "a name with a NUL finds no account (refused or not found)")
        #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "id:a", window: 60, limit: 2, now: now) }.allowed,
                "the refused key counted nothing under its prefix")
    }

    @Test(.enabled(if: TestStore.isSQLite)) func aNameWithAnEmbeddedNULFindsNoAccount() throws {
        let store = try StoreFixture()
        _ = try store.database.write { tx in try tx.users.create(
            try NewUser(portal: .secop, username: "demo.secop", email: #require(EmailAddress("compras@example.com"))),
            passwordHash: "h", now: now) }
        #expect(try store.database.read { tx in try tx.users.findSecop(username: "demo.secop") } != nil)
        #expect(try store.database.read { tx in try tx.users.findSecop(username: "demo.secop\u{0}x") } == nil)
        #expect(try store.database.read { tx in try tx.users.findSecop(email: "compras@example.com\u{0}.evil") }.isEmpty)
    }

    @Test(.enabled(if: TestStore.isSQLite)) func rateLimitKeysThatDifferAfterANULAreTwoCounters() throws {
        let store = try StoreFixture()
        for _ in 0..<2 {
            #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "id:a", window: 60, limit: 2, now: now) }.allowed)
        }
        #expect(try store.database.write { tx in try tx.rateLimits.hit(key: "id:a\u{0}b", window: 60, limit: 2, now: now) }.allowed)
        #expect(try !store.database.write { tx in try tx.rateLimits.hit(key: "id:a", window: 60, limit: 2, now: now) }.allowed)
    }
}
