import Foundation
import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// The shared email pieces: composing a template pair, the password-changed notice, dates.
@Suite struct EmailComposerTests {
    let templates: TemplateSet

    init() throws {
        templates = try TemplateSet(templates: [
            "correos/secop/prueba.html": "<p>Hola {{ nombre }}</p>",
            "correos/secop/prueba.txt": "Hola {{ nombre }} ({{ asunto }})",
        ], options: TemplateOptions(strict: true))
    }

    @Test func composesBothPartsWithThePortalsSender() throws {
        let composer = EmailComposer(templates: templates, senders: EmailSenders(domain: "correo.example.co"))
        let message = try composer.compose(portal: .secop, name: "prueba", to: "ana@example.com", subject: "Asunto",
                                           context: ["nombre": "<Ana>"])
        #expect(message.sender == "SECOP II <registro@correo.example.co>")
        #expect(message.portal == "secop")
        #expect(message.recipient == "ana@example.com")
        #expect(message.htmlBody == "<p>Hola &lt;Ana&gt;</p>")
        #expect(message.textBody == "Hola <Ana> (Asunto)")
    }

    @Test func theSenderDomainIsTheOperatorsToSet() {
        let configured = EmailSenders(configuredDomain: " secop.gov.co ")
        #expect(configured?.secop == "SECOP II <registro@secop.gov.co>")
        #expect(configured?.soi == "SOI Aportes en Línea <soporte@secop.gov.co>")
        #expect(configured?.cajacopi == "Cajacopi EPS <notificaciones@secop.gov.co>")
        #expect(EmailSenders(configuredDomain: " ") == nil)
        // A value that would inject another header or address is refused.
        #expect(EmailSenders(configuredDomain: "x.co>\r\nBcc: a@b.co") == nil)
        #expect(EmailSenders(configuredDomain: ".co") == nil)
        #expect(EmailSenders(configuredDomain: "correo.ñandú.co") == nil, "IDNs must come as punycode (xn--)")
        // Nothing configured: the reserved .example domains, never a real one.
        #expect(AppConfiguration(publicURL: URL(string: "http://127.0.0.1:8080")!).senders == EmailSenders())
        #expect(EmailSenders().cajacopi.hasSuffix(".example>"))
    }

    @Test func aMissingTemplateIsAnError() {
        let composer = EmailComposer(templates: templates)
        #expect(throws: TemplateError.self) {
            try composer.compose(portal: .soi, name: "prueba", to: "a@example.com", subject: "x", context: [:])
        }
    }

    @Test func everyPortalHasAPasswordChangedNoticeWithAContactLine() throws {
        let fixture = try SECOPFixture()
        let composer = fixture.recovery.composer
        let email = try #require(EmailAddress("ana@example.com"))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let accounts = [
            try fixture.addUser("ana.perez"),
            try fixture.database.write { tx in try tx.users.createSOIUser(aportante: Document(parsing: "NIT:900123456"), aportanteName: "Andina S.A.S.",
                                                                          document: Document(parsing: "CC:1020304050"), email: email, passwordHash: "x", now: at) },
        ]
        for user in accounts {
            let message = try PasswordChangedNotice.message(for: user, at: at, composer: composer)
            #expect(message.sender == EmailSenders().sender(for: user.portal))
            #expect(message.subject == "\(user.portal.displayName) - Su contraseña fue cambiada")
            for body in [message.textBody, message.htmlBody] {
                #expect(body.contains("¿No fue usted?"))
                #expect(body.contains("21 de septiembre de 2026, 9:13 a. m. (hora de Colombia)"))
            }
        }
        // Cajacopi words its notice after its own guide (`correos/cajacopi/contrasena-actualizada`).
        let cajacopi = CajacopiRecoveryMail(templates: try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates")),
                                            configuration: CajacopiRecoveryConfiguration(publicURL: "https://clave.example.co"))
        let notice = try cajacopi.passwordChangedEmail(to: "ana@example.com", at: at)
        #expect(notice.sender == EmailSenders().sender(for: .cajacopi))
        for body in [notice.textBody, notice.htmlBody] {
            #expect(body.contains("¿No fue usted?"))
            #expect(body.contains("asisplaneacion@cajacopi.com"))
        }
    }

    @Test(arguments: [
        (1_790_000_000.0, "21 de septiembre de 2026, 9:13 a. m. (hora de Colombia)"),
        (1_767_243_600.0, "1 de enero de 2026, 12:00 a. m. (hora de Colombia)"),
        (1_767_286_799.0, "1 de enero de 2026, 11:59 a. m. (hora de Colombia)"),
        (1_767_286_800.0, "1 de enero de 2026, 12:00 p. m. (hora de Colombia)"),
    ])
    func colombianDatesInWords(seconds: Double, expected: String) {
        #expect(ColombiaTime.text(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
