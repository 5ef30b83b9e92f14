import ClaveCrypto
import Foundation
import RecoveryFlows
import Testing
import TestSupport
@_spi(RawSQL) import UserStore

/// Rate-limit counters keyed by HMAC under the stored `rate-limit` server key: a bare SHA-256 of
/// a cédula is reversed by trying all 10^10, and the same key on every restart and process.
@Suite struct RateLimitKeyTests {
    typealias Demo = AppHarness.Demo

    /// Every key in the counters tables: the rate limits, and the login throttle (logins count
    /// per identifier there, under the same keys).
    static func counterKeys(_ database: Database) throws -> [String] {
        try database.read { tx in
            try tx.connection.query("SELECT key FROM rate_limits UNION ALL SELECT key FROM login_throttles") { try $0.string(0) }
        }
    }

    /// The key `route` should count `identifier` under, computed from the stored server key.
    static func expectedKey(_ database: Database, route: String, identifier: String) throws -> String {
        let key = try #require(try database.read { tx in try tx.serverKeys.existingKey(named: RateLimiter.serverKeyName) })
        return "id:\(route):\(Hex.encode(HMACSHA256.authenticate(Array(Identifier.normalize(identifier).utf8), key: key)))"
    }

    @Test func theCountersHoldAnHMACOfEachIdentifierAndNoBareSHA256() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let soiIdentifier = "\(try Document(parsing: Demo.soiCompany))/\(try Document(parsing: Demo.soiUser))"
        #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Mala-1234"]).status == 422)
        #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": "no.existe", "contrasena": "Mala-1234"]).status == 422)
        #expect(try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": "x"]).status == 422)
        #expect(try browser.fillAndSubmit("/soi/ingreso", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC",
                                                           "usuario_numero": "1020304050", "clave": "Mala-1234"]).status == 422)
        let keys = try Self.counterKeys(harness.database)
        let submitted: [(route: String, identifier: String)] = [
            ("secop.login", Demo.secopUser), ("secop.login", "no.existe"), ("cajacopi.login", Demo.cajacopiEmail),
            ("soi.login", soiIdentifier),
        ]
        for (route, identifier) in submitted {
            #expect(keys.contains(try Self.expectedKey(harness.database, route: route, identifier: identifier)), "\(route) \(identifier)")
        }
        let candidates = submitted.map(\.identifier) + ["1020304050", "900123456-8", "900123456", Demo.soiUser, Demo.soiCompany]
        for candidate in candidates {
            for digest in [SHA256.hex(candidate), SHA256.hex(Identifier.normalize(candidate))] {
                #expect(!keys.contains { $0.contains(digest) }, "bare SHA-256 of \(candidate) in the counters")
            }
            #expect(!keys.contains { $0.localizedCaseInsensitiveContains(candidate) }, "\(candidate) in the clear")
        }
    }

    @Test func twoDatabasesKeyTheSameIdentifierDifferentlyAndARestartKeysItAlike() throws {
        let one = try AppHarness(seedDemo: false), two = try AppHarness(seedDemo: false)
        let first = one.context.rateLimiter.identifierKey(route: "secop.login", identifier: Demo.secopUser)
        #expect(first != two.context.rateLimiter.identifierKey(route: "secop.login", identifier: Demo.secopUser))
        #expect(first == (try Self.expectedKey(one.database, route: "secop.login", identifier: Demo.secopUser)))
        #expect(first == one.context.rateLimiter.identifierKey(route: "secop.login", identifier: " DEMO.secop "), "one normal form")
        let restarted = try RateLimiter(database: try one.database.reopened(), policy: RateLimitPolicy(), clock: one.clock)
        #expect(restarted.identifierKey(route: "secop.login", identifier: Demo.secopUser) == first)
    }
}
