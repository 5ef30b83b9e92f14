import Testing
@testable import PostgresClient

@Suite("SQLite placeholders as PostgreSQL's")
struct PostgresPlaceholdersTests {
    @Test("?N becomes $N outside literals, identifiers and comments")
    func rewrite() throws {
        #expect(try PostgresPlaceholders.fromSQLite("UPDATE users SET locked_until = ?1 WHERE id = ?2")
            == "UPDATE users SET locked_until = $1 WHERE id = $2")
        #expect(try PostgresPlaceholders.fromSQLite("SELECT '?1', 'it''s ?2', \"?3\", ?4 -- ?5\n, ?6 /* ?7 */ ?12")
            == "SELECT '?1', 'it''s ?2', \"?3\", $4 -- ?5\n, $6 /* ?7 */ $12")
        #expect(try PostgresPlaceholders.fromSQLite("SELECT 1") == "SELECT 1")
        #expect(try PostgresPlaceholders.fromSQLite("SELECT 'ñ' || ?1") == "SELECT 'ñ' || $1")
    }

    @Test("a bare ?, an unterminated literal or comment is refused")
    func refused() {
        for sql in ["SELECT ?", "SELECT 'abc", "SELECT \"abc", "SELECT 1 /* open", "SELECT ?a"] {
            #expect(throws: PostgresError.self, "\(sql)") { try PostgresPlaceholders.fromSQLite(sql) }
        }
    }
}
