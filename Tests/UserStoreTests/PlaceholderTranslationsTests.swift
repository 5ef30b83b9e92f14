import Testing
@testable import UserStore

/// The engine-wide table of SQLite-to-PostgreSQL statement texts.
struct PlaceholderTranslationsTests {
    @Test func translatesAndRemembersUpToItsLimit() throws {
        let translations = PlaceholderTranslations(limit: 1)
        #expect(try translations.postgres("SELECT ?1, ?2 WHERE a = ?1") == "SELECT $1, $2 WHERE a = $1")
        #expect(try translations.postgres("SELECT ?1, ?2 WHERE a = ?1") == "SELECT $1, $2 WHERE a = $1")
        // Past the limit it still translates; it only stops keeping.
        #expect(try translations.postgres("UPDATE t SET b = ?2 WHERE id = ?1") == "UPDATE t SET b = $2 WHERE id = $1")
    }

    @Test func aTextItCannotTranslateIsAStoreErrorEveryTime() {
        let translations = PlaceholderTranslations()
        for _ in 0..<2 {
            #expect(throws: StoreError.self) { try translations.postgres("SELECT ?") }
        }
    }
}
