import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
@_spi(RawSQL) import UserStore

/// "A cookieless visit writes nothing": a flood of GETs on every GET route of the app (read from
/// the route tables, as `clave routes` prints them), with made-up path parameters and tokens and
/// unknown paths, leaves every table byte for byte as it was, and commits no transaction at all.
@Suite("A cookieless visit writes nothing")
struct CookielessVisitTests {
    /// GETs per route and variant.
    static let flood = 50

    @Test("50 cookieless GETs of every GET route, sample ids and tokens, and 404s change no row")
    func cookielessFloodWritesNothing() throws {
        let (harness, paths) = try Self.prepared()
        let observer = try DatabaseObserver(harness.database)
        let before = try observer.snapshot()
        for path in paths {
            for _ in 0..<Self.flood {
                let browser = harness.browser()
                let status = try browser.get(path).status
                #expect(status < 500, "GET \(path) answered \(status)")
            }
        }
        let after = try observer.snapshot()
        #expect(after.rows == before.rows, "a table changed: \(Self.changedTables(before, after))")
        #expect(after.dataVersion == before.dataVersion, "a transaction was committed")
    }

    @Test("the same flood from a browser holding a form cookie (and its live captcha) writes nothing")
    func floodWithAFormCookieWritesNothing() throws {
        let (harness, paths) = try Self.prepared()
        let browser = harness.browser()
        let page = try browser.get("/cajacopi/restablecer")
        let captchaID = try #require(page.hiddenField("captcha_id"))
        try #require(browser.cookies[FormCookie.name] != nil)
        let observer = try DatabaseObserver(harness.database)
        let before = try observer.snapshot()
        for path in paths + ["/cajacopi/captcha/\(captchaID).png", "/_dev/captcha/\(captchaID)"] {
            for _ in 0..<Self.flood {
                #expect(try browser.get(path).status < 500, "GET \(path)")
            }
        }
        #expect(try browser.get("/cajacopi/captcha/\(captchaID).png").header("Content-Type") == "image/png")
        let after = try observer.snapshot()
        #expect(after.rows == before.rows, "a table changed: \(Self.changedTables(before, after))")
        #expect(after.dataVersion == before.dataVersion, "a transaction was committed")
    }

    /// An app with a live SECOP II and Cajacopi reset link (asked for by POSTs, mail delivered,
    /// the outbox worker stopped so nothing writes behind the test's back), and every GET path to
    /// flood.
    static func prepared() throws -> (AppHarness, [String]) {
        let harness = try AppHarness()
        let secopToken = try harness.secopResetToken()
        let cajacopiToken = try harness.cajacopiResetToken()
        _ = harness.worker.stop(drainWithin: 2)
        let routes = try ClaveApp(context: harness.context).routes.filter { $0.method == "GET" }
        #expect(routes.count >= 15, "the route tables list the app's GET routes")
        let made = Base64URL.encode(try SecureRandom.bytes(32))
        let samples = ["1", "999999", made, Base64URL.encode(try SecureRandom.bytes(40)), "x"]
        var paths: [String] = []
        for route in routes {
            var pattern = route.path
            if pattern.hasSuffix("/*") { pattern = String(pattern.dropLast()) + "{file}" }
            let filled = pattern.contains("{") ? samples.map { sample in Self.fill(pattern, with: sample) } : [pattern]
            for path in filled {
                paths += [path, path + "?token=" + made, path + "?token=x&otro=%ZZ"]
            }
        }
        paths += ["/secop/cambiar-contrasena?token=" + secopToken, "/cajacopi/nueva-contrasena?token=" + cajacopiToken,
                  "/static/clave.css", "/no-existe", "/secop/no-existe", "/cajacopi/captcha/x.gif", "/_dev/nada"]
        return (harness, paths)
    }

    /// `pattern` with every `{name}` replaced by `value`.
    static func fill(_ pattern: String, with value: String) -> String {
        var result = ""
        var inside = false
        for character in pattern {
            if character == "{" { inside = true; result += value } else if character == "}" { inside = false } else if !inside { result.append(character) }
        }
        return result
    }

    static func changedTables(_ before: DatabaseObserver.Snapshot, _ after: DatabaseObserver.Snapshot) -> [String] {
        Set(before.rows.keys).union(after.rows.keys).sorted().filter { before.rows[$0] != after.rows[$0] }
            .map { "\($0) (\(before.rows[$0]?.count ?? 0) → \(after.rows[$0]?.count ?? 0) rows)" }
    }
}

/// A connection of its own on the app's file, which the app never uses: its `PRAGMA
/// data_version` changes when any other connection commits, and its reads list every row. On
/// PostgreSQL the rows alone are compared (with the sequences' positions, which a rolled-back
/// insert moves too).
struct DatabaseObserver {
    struct Snapshot: Equatable {
        /// Every row of every table, as text, by table.
        var rows: [String: [String]]
        /// `PRAGMA data_version` of the observer's connection.
        var dataVersion: Int
    }

    let database: Database

    init(_ watched: Database) throws { database = try watched.reopened() }

    func snapshot() throws -> Snapshot {
        // The writer connection of this Database is the observer's own: one connection, so
        // its data_version compares across calls.
        if database.dialect == .postgres { return try postgresSnapshot() }
        return try database.write { tx in
            let tables = try tx.connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { try $0.string(0) }
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try tx.connection.query("SELECT * FROM \"\(table)\" ORDER BY rowid") { "\($0.values)" }
            }
            let version = try tx.connection.queryOne("PRAGMA data_version") { try $0.int(0) } ?? -1
            return Snapshot(rows: rows, dataVersion: version)
        }
    }

    private func postgresSnapshot() throws -> Snapshot {
        try database.read { tx in
            let tables = try tx.connection.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name") { try $0.string(0) }
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try tx.connection.query("SELECT * FROM \"\(table)\" ORDER BY 1") { "\($0.values)" }
            }
            let sequences = try tx.connection.query(
                "SELECT sequencename || ':' || COALESCE(last_value, 0) FROM pg_sequences ORDER BY 1") { try $0.string(0) }
            rows["(sequences)"] = sequences
            return Snapshot(rows: rows, dataVersion: 0)
        }
    }
}
