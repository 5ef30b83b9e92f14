import Foundation
import HTTPCore
@testable import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// Cajacopi's outcome → page layer, without a server: which template, status and values each
/// outcome shows, and that no page of the journey may send a referrer.
@Suite struct CajacopiRecoveryPagesTests {
    let pages: CajacopiRecoveryPages
    let directory: TemporaryDirectory
    let database: Database
    static let captcha = IssuedCaptcha(id: String(repeating: "a", count: 43), expiresAt: Date())

    init() throws {
        directory = try TemporaryDirectory(prefix: "cajacopi-pages")
        database = try TestStore.open(in: directory)
        try database.migrate()
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"))
        pages = CajacopiRecoveryPages(recovery: CajacopiRecovery(
            database: database, templates: templates, configuration: CajacopiRecoveryConfiguration(publicURL: "https://x.example"),
            captchaKey: Array(repeating: 7, count: 32)))
    }

    @Test("an accepted request is one page whatever the account")
    func acceptedIsOnePage() throws {
        let page = pages.requestAnswer(.accepted, email: "luz@example.com") { Self.captcha }
        #expect(page == pages.requestAnswer(.accepted, email: "nadie@example.com") { Self.captcha })
        #expect(page.template == "cajacopi/solicitud-enviada")
        #expect(page.status == .ok)
        #expect(page.context["correo"] == nil, "the answer does not echo the email")
    }

    @Test("a refused captcha shows the form again, 422, with the email kept, its reason and a new captcha")
    func refusedCaptcha() throws {
        for (check, words) in [(CaptchaCheck.wrongAnswer, "no coinciden"), (.expired, "venció"), (.unknown, "ya fue usado")] {
            let page = pages.requestAnswer(.captchaRejected(check), email: "luz@example.com") { Self.captcha }
            #expect(page.template == "cajacopi/restablecer")
            #expect(page.status == .unprocessableContent)
            #expect(page.context["correo"] == "luz@example.com")
            #expect(page.context["captcha_id"] == .string(Self.captcha.id))
            // Beside the captcha field, and in the error summary linking to it.
            guard case .string(let message)? = page.context["error_captcha"] else {
                Issue.record("no error for \(check)")
                continue
            }
            #expect(message.contains(words))
            #expect(page.context["resumen_errores"] == ErrorSummary([ErrorSummary.Item(field: "captcha", message: message)]).templateValue)
        }
    }

    @Test("unknown links are 404, used, expired and superseded ones 410, each with its own words")
    func invalidLinks() {
        #expect(pages.invalidLink(.unknown).status == .notFound)
        var reasons: Set<String> = []
        for status in [ResetTokenStatus.used, .expired, .superseded] {
            let page = pages.invalidLink(status)
            #expect(page.status.code == 410)
            if case .string(let reason) = page.context["motivo"] { reasons.insert(reason) }
        }
        #expect(reasons.count == 3)
    }

    @Test("every page of the journey carries a captcha or token, so none sends a referrer")
    func noReferrer() throws {
        let new = try NewUser(portal: .cajacopi, document: try Document(type: .cc, number: "52111222"),
                              email: try #require(EmailAddress("luz@example.com")), phone: "3015550000",
                              birthDate: CalendarDate("1988-11-30"))
        let user = try database.write { tx in try tx.users.create(new, passwordHash: "x", now: Date()) }
        for page in [pages.requestForm(captcha: Self.captcha), pages.requestAnswer(.accepted, email: "") { Self.captcha },
                     pages.newPasswordForm(token: "t", user: user), pages.invalidLink(.used), pages.changed()] {
            #expect(page.carriesToken, "\(page.template)")
        }
        guard case .list(let rules) = pages.newPasswordForm(token: "t", user: user).context["reglas"] else {
            Issue.record("the new-password page lists no rules")
            return
        }
        #expect(rules.count >= 4)
    }
}

