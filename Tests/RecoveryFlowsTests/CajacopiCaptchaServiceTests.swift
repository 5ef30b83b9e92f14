import ClaveCrypto
import Foundation
import Templates
import Testing
import TestSupport
@_spi(RawSQL) import UserStore
@testable import RecoveryFlows

/// `CaptchaService` and the Cajacopi emails over a real SQLite file.
@Suite("Cajacopi captcha service and emails")
struct CajacopiCaptchaServiceTests {
    /// The form cookie of the browser the captchas are drawn for.
    static let browser = "cookie-del-navegador"
    /// The stored `captcha` server key, as the app would load it.
    static let key = Array(repeating: UInt8(42), count: 32)

    static func database() throws -> (TemporaryDirectory, Database) {
        let directory = try TemporaryDirectory(prefix: "captcha")
        let database = try TestStore.open(in: directory)
        _ = try database.migrate()
        return (directory, database)
    }

    static func service(_ database: Database, key: [UInt8] = key, lifetime: TimeInterval = 5 * 60,
                        development: Bool = true) -> CaptchaService {
        CaptchaService(database: database, key: key,
                       configuration: CaptchaConfiguration(lifetime: lifetime, recordsAnswersForDevelopment: development))
    }

    static func spentCount(_ database: Database) throws -> Int {
        try database.read { tx in try tx.connection.queryOne("SELECT COUNT(*) FROM spent_captchas") { try $0.int(0) } } ?? -1
    }

    @Test("a captcha id holds 128 random bits, its expiry and a MAC; 6 to 8 characters; drawing one stores nothing")
    func create() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var ids = Set<String>()
        for _ in 0..<20 {
            let issued = try service.create(browser: Self.browser, now: now)
            #expect(CaptchaService.isWellFormed(id: issued.id))
            #expect(issued.expiresAt == now.addingTimeInterval(5 * 60))
            let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
            #expect((6...8).contains(answer.count))
            #expect(answer.allSatisfy { "AEFHJLMNRTYadehmnrt34679".contains($0) })
            ids.insert(issued.id)
        }
        #expect(ids.count == 20)
        #expect(try Self.spentCount(database) == 0, "no row per captcha drawn")
    }

    @Test("the right answer passes once; a second check is unknown and the image is gone")
    func oneTime() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        let now = Date()
        let issued = try service.create(browser: Self.browser, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        #expect(try service.image(id: issued.id, browser: Self.browser, now: now) != nil)
        #expect(try service.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .passed)
        #expect(try service.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .unknown)
        #expect(try service.image(id: issued.id, browser: Self.browser, now: now) == nil)
        #expect(service.developmentAnswers?.answer(id: issued.id, now: now) == nil)
        #expect(try Self.spentCount(database) == 1)
    }

    @Test("a captcha is seen and answered only with the form cookie it was drawn for; a foreign try does not burn it")
    func boundToItsBrowser() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        let now = Date()
        let issued = try service.create(browser: Self.browser, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        #expect(try service.check(id: issued.id, answer: answer, browser: "otro-navegador", now: now) == .unknown)
        #expect(try service.check(id: issued.id, answer: answer, browser: nil, now: now) == .unknown, "no cookie, no captcha")
        #expect(try service.image(id: issued.id, browser: "otro-navegador", now: now) == nil)
        #expect(try service.image(id: issued.id, browser: Self.browser, now: now) != nil, "a foreign try does not burn it")
        #expect(service.developmentAnswers?.answer(id: issued.id, now: now) == answer)
        #expect(try Self.spentCount(database) == 0)
        #expect(try service.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .passed)
    }

    @Test("the same id gives the same image every time, and a restarted service (same key) the same answer")
    func deterministicAcrossRestarts() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let now = Date()
        let first = Self.service(database)
        let issued = try first.create(browser: Self.browser, now: now)
        let answer = try #require(first.developmentAnswers?.answer(id: issued.id, now: now))
        let image = try #require(try first.image(id: issued.id, browser: Self.browser, now: now))
        #expect(try first.image(id: issued.id, browser: Self.browser, now: now) == image, "no variants to average")
        #expect(Array(image.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let restarted = Self.service(database, development: false)
        #expect(try restarted.image(id: issued.id, browser: Self.browser, now: now) == image)
        let otherInstallation = Self.service(database, key: Array(repeating: 1, count: 32), development: false)
        #expect(try otherInstallation.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .unknown)
        #expect(try restarted.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .passed)
    }

    @Test("an id re-dated or made up is unknown: the MAC covers the expiry")
    func forgedIDs() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        let now = Date()
        let issued = try service.create(browser: Self.browser, now: now)
        var bytes = try #require(Base64URL.decode(issued.id))
        bytes[16] &+= 1  // the expiry's high byte: far in the future
        let redated = Base64URL.encode(bytes)
        #expect(CaptchaService.isWellFormed(id: redated))
        #expect(try service.image(id: redated, browser: Self.browser, now: now) == nil)
        #expect(try service.check(id: redated, answer: "AAAAAA", browser: Self.browser, now: now) == .unknown)
        let madeUp = Base64URL.encode(try SecureRandom.bytes(40))
        #expect(try service.check(id: madeUp, answer: "AAAAAA", browser: Self.browser, now: now) == .unknown)
        #expect(try Self.spentCount(database) == 0, "a forged id is never recorded")
    }

    @Test("case matters, spaces are not trimmed, and a wrong answer burns the captcha")
    func wrongAnswers() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        let now = Date()
        for variant in [{ (a: String) in a.uppercased() == a ? a.lowercased() : a.uppercased() },
                        { (a: String) in " " + a }, { (a: String) in String(a.dropLast()) }] {
            let issued = try service.create(browser: Self.browser, now: now)
            let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
            #expect(try service.check(id: issued.id, answer: variant(answer), browser: Self.browser, now: now) == .wrongAnswer)
            #expect(try service.check(id: issued.id, answer: answer, browser: Self.browser, now: now) == .unknown)
        }
    }

    @Test("an expired captcha is refused and its image is gone")
    func expiry() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database, lifetime: 60)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let issued = try service.create(browser: Self.browser, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        let later = now.addingTimeInterval(61)
        #expect(try service.image(id: issued.id, browser: Self.browser, now: later) == nil)
        #expect(service.developmentAnswers?.answer(id: issued.id, now: later) == nil)
        #expect(try service.check(id: issued.id, answer: answer, browser: Self.browser, now: later) == .expired)
    }

    @Test("without development mode no answer is kept anywhere")
    func productionKeepsNoAnswer() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database, development: false)
        #expect(service.developmentAnswers == nil)
        _ = try service.create(browser: Self.browser, now: Date())
    }

    @Test("ids that are not ours never reach the database", arguments: ["", "x", "../../a", String(repeating: "a", count: 44),
                                                                        String(repeating: "a", count: 53) + "!",
                                                                        String(repeating: "a", count: 55)])
    func malformedIDs(id: String) throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = Self.service(database)
        #expect(!CaptchaService.isWellFormed(id: id))
        #expect(try service.image(id: id, browser: Self.browser, now: Date()) == nil)
        #expect(try service.check(id: id, answer: "abc", browser: Self.browser, now: Date()) == .unknown)
    }

    @Test("the emails: both parts, the public URL, Colombian time, no secret in the confirmation")
    func emails() throws {
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"),
                                        options: TemplateOptions(strict: true))
        let mail = CajacopiRecoveryMail(templates: templates,
                                        configuration: CajacopiRecoveryConfiguration(publicURL: "https://hanna.example/"))
        #expect(mail.resetLink(token: "abc") == "https://hanna.example/cajacopi/nueva-contrasena?token=abc")
        let reset = try mail.resetEmail(to: "luz@example.com", token: "abc")
        #expect(reset.portal == "cajacopi")
        #expect(reset.recipient == "luz@example.com")
        #expect(reset.textBody.contains("https://hanna.example/cajacopi/nueva-contrasena?token=abc"))
        #expect(reset.textBody.contains("vence en 1 hora"))
        #expect(reset.htmlBody.contains("token=abc"))
        #expect(reset.htmlBody.contains(">Restablecer Contraseña</a>"))

        // 2026-01-15 17:30 UTC is 12:30 in Bogotá.
        let date = Date(timeIntervalSince1970: 1_768_498_200)
        let changed = try mail.passwordChangedEmail(to: "luz@example.com", at: date)
        // Written as every email writes dates (ColombiaTime).
        #expect(changed.textBody.contains("15 de enero de 2026, 12:30 p. m. (hora de Colombia)"))
        #expect(changed.textBody.contains("¿No fue usted?"))
        #expect(changed.htmlBody.contains("¿No fue usted?"))
    }
}
