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
    /// The session id hash of the browser the captchas are drawn for.
    static let session = SHA256.hex("sesion-del-navegador")

    static func database() throws -> (TemporaryDirectory, Database) {
        let directory = try TemporaryDirectory(prefix: "captcha")
        let database = try Database(path: directory.path("clave.sqlite"))
        _ = try database.migrate()
        return (directory, database)
    }

    @Test("a captcha has a 256-bit id, 6 to 8 characters from the alphabet, and only its hash is stored")
    func create() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database, configuration: CaptchaConfiguration(recordsAnswersForDevelopment: true))
        let now = Date()
        var ids = Set<String>()
        for _ in 0..<20 {
            let issued = try service.create(sessionHash: Self.session, now: now)
            #expect(CaptchaService.isWellFormed(id: issued.id))
            #expect(issued.expiresAt == now.addingTimeInterval(5 * 60))
            let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
            #expect((6...8).contains(answer.count))
            #expect(answer.allSatisfy { "AEFHJLMNRTYadehmnrt34679".contains($0) })
            let stored = try database.read { tx in
                try tx.connection.queryOne("SELECT answer_hash FROM captchas WHERE id = ?1", [issued.id]) { try $0.string(0) }
            }
            #expect(stored == SHA256.hex(answer))
            ids.insert(issued.id)
        }
        #expect(ids.count == 20)
    }

    @Test("the right answer passes once; a second check is unknown")
    func oneTime() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database, configuration: CaptchaConfiguration(recordsAnswersForDevelopment: true))
        let now = Date()
        let issued = try service.create(sessionHash: Self.session, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        #expect(try service.image(id: issued.id, now: now) != nil)
        #expect(try service.check(id: issued.id, answer: answer, sessionHash: Self.session, now: now) == .passed)
        #expect(try service.check(id: issued.id, answer: answer, sessionHash: Self.session, now: now) == .unknown)
        #expect(try service.image(id: issued.id, now: now) == nil)
        #expect(service.developmentAnswers?.answer(id: issued.id, now: now) == nil)
    }

    @Test("a captcha answered from another session is unknown there and stays live for its own")
    func boundToItsSession() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database, configuration: CaptchaConfiguration(recordsAnswersForDevelopment: true))
        let now = Date()
        let issued = try service.create(sessionHash: Self.session, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        #expect(try service.check(id: issued.id, answer: answer, sessionHash: SHA256.hex("otro-navegador"), now: now) == .unknown)
        #expect(try service.image(id: issued.id, now: now) != nil, "a foreign try does not burn it")
        #expect(service.developmentAnswers?.answer(id: issued.id, now: now) == answer)
        #expect(try service.check(id: issued.id, answer: answer, sessionHash: Self.session, now: now) == .passed)
    }

    @Test("case matters, spaces are not trimmed, and a wrong answer burns the captcha")
    func wrongAnswers() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database, configuration: CaptchaConfiguration(recordsAnswersForDevelopment: true))
        let now = Date()
        for variant in [{ (a: String) in a.uppercased() == a ? a.lowercased() : a.uppercased() },
                        { (a: String) in " " + a }, { (a: String) in String(a.dropLast()) }] {
            let issued = try service.create(sessionHash: Self.session, now: now)
            let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
            #expect(try service.check(id: issued.id, answer: variant(answer), sessionHash: Self.session, now: now) == .wrongAnswer)
            #expect(try service.check(id: issued.id, answer: answer, sessionHash: Self.session, now: now) == .unknown)
        }
    }

    @Test("an expired captcha is refused and its image is gone")
    func expiry() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database, configuration: CaptchaConfiguration(lifetime: 60, recordsAnswersForDevelopment: true))
        let now = Date()
        let issued = try service.create(sessionHash: Self.session, now: now)
        let answer = try #require(service.developmentAnswers?.answer(id: issued.id, now: now))
        let later = now.addingTimeInterval(61)
        #expect(try service.image(id: issued.id, now: later) == nil)
        #expect(service.developmentAnswers?.answer(id: issued.id, now: later) == nil)
        #expect(try service.check(id: issued.id, answer: answer, sessionHash: Self.session, now: later) == .expired)
    }

    @Test("without development mode no answer is kept anywhere")
    func productionKeepsNoAnswer() throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database)
        #expect(service.developmentAnswers == nil)
        _ = try service.create(sessionHash: Self.session, now: Date())
    }

    @Test("ids that are not ours never reach the database", arguments: ["", "x", "../../a", String(repeating: "a", count: 44),
                                                                        String(repeating: "a", count: 42) + "!"])
    func malformedIDs(id: String) throws {
        let (directory, database) = try Self.database()
        _ = directory
        let service = CaptchaService(database: database)
        #expect(!CaptchaService.isWellFormed(id: id))
        #expect(try service.image(id: id, now: Date()) == nil)
        #expect(try service.check(id: id, answer: "abc", sessionHash: Self.session, now: Date()) == .unknown)
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
        #expect(changed.textBody.contains("15/01/2026 12:30"))
        #expect(changed.textBody.contains("¿No fue usted?"))
        #expect(changed.htmlBody.contains("¿No fue usted?"))
    }
}
