import ClaveCrypto
import Foundation
import Synchronization
import RecoveryFlows
@_spi(RawSQL) import UserStore
import Testing
import TestSupport

/// The login throttle that replaced the lock (OWASP device cookies, ASVS 5.0 V6.3, NIST SP
/// 800-63B-4 §3.2.2), tried as an attacker would: a stranger who knows a user name can slow
/// guessing but never keep the owner out, learns nothing from the answer or its cost, and
/// gets at most ``LoginThrottlePolicy/dailyFailures`` guesses a day.
@Suite("Logins: a stranger can slow guessing but cannot lock the owner out")
struct LoginThrottleTests {
    typealias Demo = AppHarness.Demo

    /// A portal's login: path, fields for a password, the wrong-identifier variant, the
    /// owner's password, and how its throttled page names the way out.
    struct Login: Sendable, CustomTestStringConvertible {
        var portal: String
        var fields: @Sendable (String) -> [String: String]
        var unknown: @Sendable (String) -> [String: String]
        var password: String
        var recovery: String
        var testDescription: String { portal }

        func attempt(_ browser: WebClient, _ password: String) throws -> WebResponse {
            try browser.fillAndSubmit("/\(portal)/ingreso", fields(password))
        }
    }

    static let soiFields: @Sendable (String) -> [String: String] = { clave in
        ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC", "usuario_numero": "1020304050", "clave": clave]
    }
    static let logins: [Login] = [
        Login(portal: "soi", fields: soiFields, unknown: { clave in
            ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC", "usuario_numero": "99887766", "clave": clave]
        }, password: Demo.soiPassword, recovery: "«¿Olvidó su clave?»"),
        Login(portal: "secop", fields: { ["usuario": Demo.secopUser, "contrasena": $0] },
              unknown: { ["usuario": "nadie.aqui", "contrasena": $0] }, password: Demo.secopPassword, recovery: "«Olvidé la contraseña»"),
        Login(portal: "cajacopi", fields: { ["correo": Demo.cajacopiEmail, "contrasena": $0] },
              unknown: { ["correo": "nadie@example.com", "contrasena": $0] }, password: Demo.cajacopiPassword,
              recovery: "«Restablecer Contraseña»"),
    ]

    /// The text of the page's form-level notice.
    static func notice(_ page: WebResponse) -> String? {
        page.text.components(separatedBy: "<div class=\"notice error\" role=\"alert\"><p>").dropFirst().first?
            .components(separatedBy: "</p>").first
    }

    @Test("the owner's browser logs in at once after a stranger spent the whole day's budget", arguments: logins)
    func strangerCannotLockTheOwnerOut(login: Login) throws {
        // The stranger comes from another address (through the trusted proxy), so the
        // per-address limit is theirs alone.
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let owner = harness.browser()
        #expect(try login.attempt(owner, login.password).status == 303)
        let device = try #require(owner.cookies["clave_dispositivo_\(login.portal)"])
        #expect(try owner.submit(try owner.get("/\(login.portal)/inicio"), to: "/\(login.portal)/salir", [:]).status == 303)
        #expect(owner.cookies["clave_dispositivo_\(login.portal)"] == device, "logging out keeps the browser trusted")

        // Forty guesses, as fast as the stranger can send them: five checked at once, the rest
        // refused while the wait runs (and counted).
        let stranger = harness.browser()
        stranger.extraHeaders = [("X-Forwarded-For", "203.0.113.9")]
        var statuses: [Int] = []
        for guess in 1...40 { statuses.append(try login.attempt(stranger, "Adivina-\(guess)").status) }
        #expect(statuses.prefix(5).allSatisfy { $0 == 422 })
        #expect(statuses.dropFirst(6).allSatisfy { $0 == 429 })
        // Even the right password is refused to an untrusted browser now ...
        let newBrowser = harness.browser()
        let refused = try login.attempt(newBrowser, login.password)
        #expect(refused.status == 429)
        #expect(Self.notice(refused)?.contains(login.recovery) == true, "the page names the way through that needs no wait")
        // ... but the owner's browser gets in at once.
        let entered = try login.attempt(owner, login.password)
        #expect(entered.status == 303)
        #expect(entered.location?.hasPrefix("/\(login.portal)/") == true)
    }

    @Test("an untrusted client waits 1, 2, 4 … 30 minutes after five failures and gets 20 guesses a day")
    func growingWaitsAndADailyBound() throws {
        let harness = try AppHarness()
        let stranger = harness.browser()
        let start = harness.clock.now()
        var waits: [Int] = []
        var checked = 0
        // The patient attacker: waits exactly what Retry-After says, for a simulated day.
        while harness.clock.now().timeIntervalSince(start) < 86_400 {
            let answer = try stranger.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Adivina-\(checked)"])
            #expect(answer.status == 422, "a client that waits is never refused unchecked")
            checked += 1
            // The next attempt's wait, read from a probe the stranger would send at once.
            let probe = harness.context.configuration.login
            let state = try harness.database.read { tx in
                try tx.loginThrottles.state(key: harness.context.rateLimiter.identifierKey(route: "secop.login", identifier: Demo.secopUser))
            }
            let wait = Int(probe.wait(state, at: harness.clock.now()).rounded(.up))
            waits.append(wait)
            harness.clock.advance(by: TimeInterval(max(wait, 1)))
        }
        #expect(checked == 20, "20 guesses in the first day, far under NIST's 100")
        #expect(Array(waits.prefix(12)) == [0, 0, 0, 0, 0, 60, 120, 240, 480, 960, 1800, 1800])
        #expect(waits[19] > 60_000, "the 20th failure closes the window for the rest of the day")
    }

    @Test("while throttled, a right and a wrong password and an unknown account read the same and cost the same",
          arguments: logins)
    func noOracleWhileThrottled(login: Login) throws {
        // Three histories alike (three wrong guesses at one identifier), then the probe: the
        // right password, a wrong one, and any password for an identifier no account has.
        let probes: [(history: @Sendable (String) -> [String: String], probe: [String: String])] = [
            (login.fields, login.fields(login.password)),
            (login.fields, login.fields("Adivina-9")),
            (login.unknown, login.unknown(login.password)),
        ]
        var answers: [(status: Int, notice: String?, retry: String?)] = []
        for (history, probe) in probes {
            let harness = try AppHarness { $0.login = LoginThrottlePolicy(freeFailures: 2, firstDelay: 600) }
            for guess in 1...3 { _ = try harness.browser().fillAndSubmit("/\(login.portal)/ingreso", history("Adivina-\(guess)")) }
            let before = harness.context.verifier.verifications
            let answer = try harness.browser().fillAndSubmit("/\(login.portal)/ingreso", probe)
            #expect(harness.context.verifier.verifications - before == 2, "every refused attempt pays two scrypt verifications")
            answers.append((answer.status, Self.notice(answer), answer.header("Retry-After")))
        }
        #expect(answers.allSatisfy { $0.status == 429 })
        #expect(Set(answers.map(\.notice)).count == 1, "\(answers)")
        #expect(Set(answers.map(\.retry)).count == 1, "\(answers)")
    }

    @Test("every failed guess is counted: checked, refused while throttled, and refused although right")
    func everyFailedGuessIsCounted() throws {
        let harness = try AppHarness { $0.login = LoginThrottlePolicy(freeFailures: 3, firstDelay: 60) }
        let stranger = harness.browser()
        let passwords = ["Mala-1", "Mala-2", "Mala-3", "Mala-4", "Mala-5", Demo.secopPassword, "Mala-6"]
        let statuses = try passwords.map {
            try stranger.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": $0]).status
        }
        #expect(statuses == [422, 422, 422, 422, 429, 429, 429])
        let user = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        #expect(user.failedLogins == passwords.count)
        let key = harness.context.rateLimiter.identifierKey(route: "secop.login", identifier: Demo.secopUser)
        #expect(try harness.database.read { tx in try tx.loginThrottles.state(key: key) }?.failures == passwords.count)
        let audited = try harness.database.read { tx in try tx.auditLog.recent(limit: 50) }
            .filter { $0.event == "login.failed" || $0.event == "login.throttled" }
        #expect(audited.count == passwords.count)
        #expect(audited.filter { $0.event == "login.throttled" }.count == 3)
    }

    @Test("a burst of parallel guesses over real sockets gets no more checks than one guess after another")
    func parallelBurstIsCountedBeforeTheCheck() throws {
        let harness = try AppHarness(transport: .socket)
        // Each guess on its own connection, with its form read first, then all sent at once.
        let pages = try (0..<12).map { _ in
            let browser = harness.browser()
            return (browser, try browser.get("/secop/ingreso"))
        }
        let statuses = Mutex<[Int]>([])
        onThreads(pages.count) { index in
            let (browser, page) = pages[index]
            let status = (try? browser.submit(page, to: "/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Rafaga-\(index)"]))?.status
            statuses.withLock { $0.append(status ?? 0) }
        }
        let all = statuses.withLock { $0 }.sorted()
        // Five free failures and the sixth are checked; its failure sets the first wait.
        #expect(all == Array(repeating: 422, count: 6) + Array(repeating: 429, count: 6), "\(all)")
        let key = harness.context.rateLimiter.identifierKey(route: "secop.login", identifier: Demo.secopUser)
        #expect(try harness.database.read { tx in try tx.loginThrottles.state(key: key) }?.failures == 12)
    }

    @Test("free failures never wait, even when a concurrent attempt recorded an instant just after this one's clock")
    func freeFailuresIgnoreInstantsOutOfOrder() {
        let policy = LoginThrottlePolicy()
        let now = Date(timeIntervalSince1970: 1_795_320_000)
        // The fifth failure was counted by an attempt whose clock read 3 ms later than ours.
        var state: LoginThrottleState? = nil
        for _ in 0..<5 { state = policy.afterFailure(state, now: now.addingTimeInterval(0.003)) }
        #expect(policy.wait(state, at: now) == 0)
        // The sixth sets the first real wait, which holds whatever the order of the clocks.
        let sixth = policy.afterFailure(state, now: now.addingTimeInterval(0.003))
        #expect(policy.wait(sixth, at: now) > 59)
    }

    @Test("a failed login costs two scrypt verifications in every account state")
    func everyStateCostsTheSame() throws {
        let harness = try AppHarness { $0.login = LoginThrottlePolicy(freeFailures: 1, firstDelay: 600) }
        func cost(_ fields: [String: String], path: String = "/secop/ingreso", browser: WebClient? = nil) throws -> Int {
            let before = harness.context.verifier.verifications
            let answer = try (browser ?? harness.browser()).fillAndSubmit(path, fields)
            #expect(answer.status == 422 || answer.status == 429)
            return harness.context.verifier.verifications - before
        }
        let secop = { (password: String) in ["usuario": Demo.secopUser, "contrasena": password] }
        var costs: [String: Int] = [:]
        costs["unknown"] = try cost(["usuario": "nadie.aqui", "contrasena": "Mala-1"])
        costs["wrong"] = try cost(secop("Mala-1"))
        costs["throttled, wrong"] = try cost(secop("Mala-2"))
        costs["throttled, right"] = try cost(secop(Demo.secopPassword))
        // Staff lock (`clave users lock`) on the Cajacopi demo user.
        let cajacopi = try #require(try harness.database.read { tx in try tx.users.findCajacopi(email: Demo.cajacopiEmail) })
        try harness.database.write { tx in try tx.users.lock(id: cajacopi.id, until: harness.clock.now().addingTimeInterval(3600), now: harness.clock.now()) }
        costs["locked, wrong"] = try cost(["correo": Demo.cajacopiEmail, "contrasena": "Mala-1"], path: "/cajacopi/ingreso")
        costs["locked, right"] = try cost(["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword], path: "/cajacopi/ingreso")
        // SOI with a temporary password pending.
        _ = try SOIRecoveryRoutesTests.requestTemporaryPassword(harness)
        costs["temporary pending, wrong"] = try cost(Self.soiFields("Mala-1"), path: "/soi/ingreso")
        #expect(costs.values.allSatisfy { $0 == 2 }, "\(costs)")
        #expect(costs.count == 7)
    }

    @Test("a device cookie trusts one browser for one account on one portal, and not once it keeps failing")
    func deviceCookieIsBoundAndSpent() throws {
        let harness = try AppHarness { $0.login = LoginThrottlePolicy(freeFailures: 1, firstDelay: 600, deviceFailures: 3) }
        let owner = harness.browser()
        #expect(try owner.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
        let device = try #require(owner.cookies["clave_dispositivo_secop"])
        let other = try harness.database.write { tx in try tx.users.create(
            try NewUser(portal: .secop, username: "otra.persona", email: EmailAddress("otra@example.com")!),
            passwordHash: try harness.context.hasher.hash("Otra-Clave-2026"), now: harness.clock.now()) }
        #expect(other.id > 0)
        // A stranger throttles both accounts.
        for guess in 1...3 {
            _ = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Mala-\(guess)"])
            _ = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": "otra.persona", "contrasena": "Mala-\(guess)"])
        }
        // The owner's cookie does not carry another account through ...
        let carried = harness.browser()
        carried.setCookie("clave_dispositivo_secop", device)
        #expect(try carried.fillAndSubmit("/secop/ingreso", ["usuario": "otra.persona", "contrasena": "Otra-Clave-2026"]).status == 429)
        // ... nor another portal, nor once altered.
        let moved = harness.browser()
        moved.setCookie("clave_dispositivo_cajacopi", device)
        for guess in 1...3 {
            _ = try harness.browser().fillAndSubmit("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": "Mala-\(guess)"])
        }
        #expect(try moved.fillAndSubmit("/cajacopi/ingreso", ["correo": Demo.cajacopiEmail, "contrasena": Demo.cajacopiPassword]).status == 429)
        let forged = harness.browser()
        forged.setCookie("clave_dispositivo_secop", String(device.dropLast(2)) + (device.hasSuffix("AA") ? "BB" : "AA"))
        #expect(try forged.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 429)

        // The owner's browser: three failures of its own are let through and counted; then it is
        // an untrusted client like any other, under the stranger's throttle.
        for guess in 1...3 {
            #expect(try owner.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": "Tecleo-\(guess)"]).status == 422)
        }
        #expect(try owner.fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 429)
    }

    @Test("a large audit log: a failed login reads no whole table, for a real account or an unknown one",
          .enabled(if: TestStore.isSQLite))
    func largeAuditLogIsNeverScanned() throws {
        let harness = try AppHarness()
        let user = try #require(try harness.database.read { tx in try tx.users.findSecop(username: Demo.secopUser) })
        // 200,000 entries, a quarter of them the real account's failures and throttles.
        try harness.database.write { tx in
            try tx.connection.execute("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                INSERT INTO audit_log (at, portal, user_id, event, client_address, detail)
                SELECT ?1 - i, 'secop', CASE WHEN i % 4 = 0 THEN ?2 ELSE 1000 + i % 700 END,
                       CASE WHEN i % 3 = 0 THEN 'login.throttled' ELSE 'login.failed' END, '127.0.0.1', 'reason=wrong-password'
                FROM n
                """, [harness.clock.now(), user.id])
        }
        var answers: [Int] = []
        for name in [Demo.secopUser, "nadie.aqui"] {
            let before = harness.database.fullScanSteps
            let answer = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": name, "contrasena": "Mala-1234"])
            answers.append(answer.status)
            let scanned = harness.database.fullScanSteps - before
            #expect(scanned < 100, "\(name): \(scanned) rows stepped through in full scans")
        }
        #expect(answers == [422, 422])
    }
}
