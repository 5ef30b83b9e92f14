import ClaveCrypto
import ClaveTime
import Foundation
@testable import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// Cajacopi's recovery steps over a real SQLite file, without HTTP (the first of its three
/// layers; the pages are `CajacopiRecoveryPagesTests`, the routes `CajacopiRecoveryRoutesTests`).
@Suite struct CajacopiRecoveryTests {
    let directory: TemporaryDirectory
    let database: Database
    let clock = ManualClock()
    let flow: CajacopiRecovery
    let hasher = PasswordHasher(cost: .testing)
    /// The form cookie of the browser the captchas are drawn for.
    static let browser = "cookie-de-formulario-del-navegador"

    init() throws {
        directory = try TemporaryDirectory(prefix: "cajacopi-steps")
        database = try TestStore.open(in: directory)
        try database.migrate()
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"),
                                        options: TemplateOptions(strict: true))
        flow = CajacopiRecovery(
            database: database, templates: templates,
            configuration: CajacopiRecoveryConfiguration(
                publicURL: "https://clave.cajacopi.example/",
                captcha: CaptchaConfiguration(recordsAnswersForDevelopment: true)),
            captchaKey: Array(repeating: 7, count: 32), hasher: hasher, clock: clock)
    }

    @discardableResult
    func addUser(_ email: String) throws -> User {
        let user = try NewUser(portal: .cajacopi, document: try Document(type: .cc, number: "52111222"),
                               email: try #require(EmailAddress(email)), phone: "3015550000", birthDate: CalendarDate("1988-11-30"))
        let hash = try hasher.hash("Vieja-Clave-2020")
        return try database.write { tx in try tx.users.create(user, passwordHash: hash, now: clock.now()) }
    }

    /// A live captcha and its answer.
    func captcha() throws -> (id: String, answer: String) {
        let issued = try flow.newCaptcha(browser: Self.browser)
        return (issued.id, try #require(flow.captcha.developmentAnswers?.answer(id: issued.id, now: clock.now())))
    }

    func outbox() throws -> [OutboxMessage] { try database.read { tx in try tx.outbox.list(states: nil, limit: 100) } }

    @Test("a wrong captcha refuses the request before any account is looked up, and burns the captcha")
    func wrongCaptcha() throws {
        try addUser("luz@example.com")
        let (id, answer) = try captcha()
        #expect(try flow.requestReset(email: "luz@example.com", captchaID: id, captchaAnswer: answer.lowercased() + "x",
                                      browser: Self.browser, clientAddress: "10.0.0.1") == .captchaRejected(.wrongAnswer))
        #expect(try flow.requestReset(email: "luz@example.com", captchaID: id, captchaAnswer: answer,
                                      browser: Self.browser, clientAddress: "10.0.0.1") == .captchaRejected(.unknown), "one try per captcha")
        #expect(try outbox().isEmpty)
    }

    @Test("known and unknown emails get the same outcome; only the known one gets a token and its email")
    func sameOutcome() throws {
        let user = try addUser("luz@example.com")
        let first = try captcha()
        let second = try captcha()
        #expect(try flow.requestReset(email: "LUZ@example.com", captchaID: first.id, captchaAnswer: first.answer,
                                      browser: Self.browser, clientAddress: "10.0.0.1") == .accepted)
        #expect(try flow.requestReset(email: "nadie@example.com", captchaID: second.id, captchaAnswer: second.answer,
                                      browser: Self.browser, clientAddress: "10.0.0.1") == .accepted)
        let mail = try outbox()
        #expect(mail.map(\.recipient) == [user.email])
        let audit = try database.read { tx in try tx.auditLog.recent(event: AuditEvent.resetRequested.rawValue) }
        #expect(Set(audit.map { String($0.detail.prefix(13)) }) == ["account=found", "account=unkno"])
        #expect(audit.allSatisfy { $0.portal == "cajacopi" })
    }

    @Test("the link: inspect changes nothing, a weak password leaves it usable, a good one uses it once")
    func link() throws {
        try addUser("luz@example.com")
        let issued = try captcha()
        _ = try flow.requestReset(email: "luz@example.com", captchaID: issued.id, captchaAnswer: issued.answer, browser: Self.browser, clientAddress: "10.0.0.1")
        let text = try #require(try outbox().first?.textBody)
        let range = try #require(text.range(of: "token="))
        let token = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        #expect(try flow.openLink(token: token, clientAddress: "10.0.0.1").status == .valid)
        #expect(try flow.openLink(token: token, clientAddress: "10.0.0.1").status == .valid, "a GET never uses the link")
        guard case .rejected(let messages) = try flow.changePassword(token: token, newPassword: "52111222Aa",
                                                                     confirmation: "52111222Aa", clientAddress: "10.0.0.1") else {
            Issue.record("a password with the document number was accepted")
            return
        }
        #expect(!messages.isEmpty)
        #expect(try flow.changePassword(token: token, newPassword: "Nueva-Clave-2027", confirmation: "Nueva-Clave-2027",
                                        clientAddress: "10.0.0.1") == .changed(userID: 1))
        #expect(try flow.changePassword(token: token, newPassword: "Otra-Clave-2028", confirmation: "Otra-Clave-2028",
                                        clientAddress: "10.0.0.1") == .invalidLink(.used))
        #expect(try flow.inspectLink(token: "corto").status == .unknown)
    }

    @Test("Refrescar burns the old captcha and draws a new one")
    func refresh() throws {
        let old = try captcha()
        let new = try flow.refreshCaptcha(replacing: old.id, browser: Self.browser, clientAddress: "10.0.0.1")
        #expect(new.id != old.id)
        #expect(try flow.requestReset(email: "x@example.com", captchaID: old.id, captchaAnswer: old.answer,
                                      browser: Self.browser, clientAddress: "10.0.0.1") == .captchaRejected(.unknown))
        #expect(try database.read { tx in try tx.auditLog.recent(event: AuditEvent.captchaRefreshed.rawValue) }.count == 1)
    }
}
