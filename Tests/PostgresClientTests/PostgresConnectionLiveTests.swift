import ClaveCrypto
import ClaveLog
import Foundation
import Testing
import TestSupport
@testable import PostgresClient

@Suite("PostgreSQL client against a real PostgreSQL 15", .enabled(if: PostgresPeer.shouldRun))
struct PostgresConnectionLiveTests {
    let live: PostgresLiveDatabase

    init() throws { live = try PostgresLiveDatabase("connection") }

    @Test("sslmode disable, require and verify-full all connect, with TLS only when asked")
    func sslModes() throws {
        let plain = try live.connect(live.configuration(host: "127.0.0.1", sslMode: .disable))
        #expect(!plain.isTLS)
        let required = try live.connect(live.configuration(host: "127.0.0.1", sslMode: .require))
        #expect(required.isTLS)
        let verified = try live.connect(live.configuration(host: "localhost", sslMode: .verifyFull))
        #expect(verified.isTLS)
        #expect(try verified.queryOne("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")?.bool(0) == true)
        #expect(verified.parameters["server_version"]?.hasPrefix("15") == true)
    }

    @Test("verify-full refuses a host the certificate does not name, and a certificate from another CA")
    func verifyFullRefuses() {
        #expect(throws: PostgresError.self) { try live.connect(live.configuration(host: "127.0.0.1", sslMode: .verifyFull)) }
        do {
            _ = try live.connect(live.configuration(host: "localhost", sslMode: .verifyFull, caFile: live.peer.wrongCAFile))
            Issue.record("connected with the wrong CA")
        } catch let error as PostgresError {
            guard case .tls(.certificateRejected) = error else {
                Issue.record("expected a rejected certificate, got \(error)")
                return
            }
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("SCRAM: the right password connects, a wrong one is SQLSTATE 28P01")
    func scram() throws {
        let connection = try live.connect()
        #expect(try connection.queryOne("SELECT current_user")?.string(0) == PostgresPeer.testUser)
        do {
            _ = try live.connect(live.configuration(password: "wrong"))
            Issue.record("connected with a wrong password")
        } catch let error as PostgresError {
            #expect(error.sqlState == .invalidPassword)
        }
    }

    @Test("md5, password and trust users get an authentication error naming the method")
    func otherMethods() {
        let cases = [(PostgresPeer.md5User, "md5"), (PostgresPeer.passwordUser, "clear text"), (PostgresPeer.trustUser, "trust")]
        for (user, words) in cases {
            do {
                _ = try live.connect(live.configuration(user: user, password: PostgresPeer.otherPassword))
                Issue.record("\(user) connected")
            } catch let error as PostgresError {
                guard case .authentication(let detail) = error else {
                    Issue.record("\(user): \(error)")
                    continue
                }
                #expect(detail.contains(words), "\(user): \(detail)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("every type the store uses goes in as a parameter and comes back, NULL included")
    func types() throws {
        let connection = try live.connect()
        try connection.simpleQuery("""
            CREATE TABLE samples (id bigserial PRIMARY KEY, name text, n bigint, small integer, ok boolean,
                                  data bytea, at timestamptz, seconds double precision, note text)
            """)
        let at = Date(timeIntervalSince1970: 1_764_590_400.123456)
        let bytes: [UInt8] = [0, 1, 2, 0xFE, 0xFF]
        let id = try connection.queryOne("""
            INSERT INTO samples (name, n, small, ok, data, at, seconds, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, [.text("Ñandú 🦤"), .int64(Int64.min), .int64(12), .bool(true), .bytea(bytes), .timestamptz(at),
                  .float64(at.timeIntervalSince1970), .null])?.int64(0)
        let sampleID = try #require(id)
        let found = try connection.queryOne(
            "SELECT name, n, small, ok, data, at, seconds, note, now() FROM samples WHERE id = $1", [.int64(sampleID)])
        let row = try #require(found)
        #expect(try row.string(0) == "Ñandú 🦤")
        #expect(try row.int64(1) == Int64.min)
        #expect(try row.int(2) == 12)
        #expect(try row.bool(3))
        #expect(try row.bytes(4) == bytes)
        #expect(abs(try row.date(5).timeIntervalSince1970 - at.timeIntervalSince1970) < 0.000_001)
        #expect(try row.date(6) == at)
        #expect(try row.optionalString(7) == nil)
        #expect(abs(try row.date(8).timeIntervalSinceNow) < 60)
        let text = try connection.simpleQuery("SELECT n, ok, data, name FROM samples")
        #expect(text.first?.rows.first?.values == [.int64(Int64.min), .bool(true), .bytea(bytes), .text("Ñandú 🦤")])
    }

    @Test("a repeated query reuses one named prepared statement")
    func statementsCached() throws {
        let connection = try live.connect()
        for n in 0..<5 { #expect(try connection.queryOne("SELECT $1::bigint + 1", [.int64(Int64(n))])?.int64(0) == Int64(n) + 1) }
        #expect(connection.preparedStatementCount == 1)
        let names = try connection.query("SELECT name FROM pg_prepared_statements ORDER BY name").rows.map { try $0.string(0) }
        #expect(names.contains("clave_1"))
        // A NULL parameter has no type: the same SQL is then a second statement.
        #expect(try connection.queryOne("SELECT $1::bigint", [.null])?.isNull(0) == true)
        #expect(connection.preparedStatementCount == 3)
    }

    @Test("the statement cache drops its least recently used statement when full")
    func cacheEviction() throws {
        var configuration = live.configuration()
        configuration.statementCacheCapacity = 2
        let connection = try live.connect(configuration)
        for n in 0..<4 { _ = try connection.query("SELECT \(n)") }
        #expect(connection.preparedStatementCount == 2)
        #expect(try connection.queryOne("SELECT count(*) FROM pg_prepared_statements")?.int64(0) == 2)
    }

    @Test("a unique violation is typed with its constraint, and the connection goes on")
    func uniqueViolation() throws {
        let connection = try live.connect()
        try connection.simpleQuery("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
        try connection.execute("INSERT INTO people VALUES ($1)", [.text("ana@example.co")])
        do {
            try connection.execute("INSERT INTO people VALUES ($1)", [.text("ana@example.co")])
            Issue.record("inserted twice")
        } catch {
            #expect(error.isUniqueViolation)
            guard case .server(let server) = error else { return }
            #expect(server.constraint == "people_email_key")
            #expect(!error.description.contains("ana@example.co"))
        }
        #expect(try connection.queryOne("SELECT count(*) FROM people")?.int64(0) == 1)
        #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(try connection.queryOne("SELECT 2")?.int64(0) == 2)
    }

    @Test("an error inside a transaction fails the block until ROLLBACK")
    func failedTransaction() throws {
        let connection = try live.connect()
        try connection.simpleQuery("BEGIN")
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1/0") }
        #expect(connection.transactionStatus == .failed)
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        try connection.simpleQuery("ROLLBACK")
        #expect(connection.transactionStatus == .idle)
    }

    @Test("LISTEN on one connection hears NOTIFY from another")
    func listenNotify() throws {
        let listener = try live.connect()
        let sender = try live.connect()
        try listener.listen("outbox wake")
        #expect(try listener.waitForNotifications(timeout: 0.1).isEmpty)
        try sender.notify("outbox wake", payload: "17")
        let heard = try listener.waitForNotifications(timeout: 5)
        #expect(heard.map(\.payload) == ["17"])
        #expect(heard.first?.channel == "outbox wake")
        #expect(heard.first?.processID == sender.processID)
        // Inside a transaction the notification waits for COMMIT.
        try sender.simpleQuery("BEGIN")
        try sender.notify("outbox wake", payload: "18")
        #expect(try listener.waitForNotifications(timeout: 0.3).isEmpty)
        try sender.simpleQuery("COMMIT")
        #expect(try listener.waitForNotifications(timeout: 5).map(\.payload) == ["18"])
        #expect(throws: PostgresError.self) { try listener.listen("") }
    }

    @Test("a NoticeResponse is logged with its severity and SQLSTATE")
    func noticeLogged() throws {
        let lines = Locked<[String]>([])
        let logger = Logger(label: "postgres", level: .debug, sink: Logger.Sink { line in lines.withLock { $0.append(line) } })
        let connection = try live.connect(live.configuration(logger: logger))
        try connection.simpleQuery("DO $$ BEGIN RAISE WARNING 'the outbox is slow'; END $$")
        let logged = lines.withLock { $0 }.filter { $0.contains("the outbox is slow") }
        #expect(logged.count == 1)
        #expect(logged.first?.contains("01000") == true)
    }

    @Test("COPY is refused with a clear error, not a hang")
    func copyRefused() throws {
        let connection = try live.connect()
        #expect(throws: PostgresError.invalidArgument("COPY is not supported by this client")) {
            try connection.simpleQuery("COPY (SELECT 1) TO STDOUT")
        }
        #expect(connection.isClosed)
    }
}
