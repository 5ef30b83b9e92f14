import ClaveTime
import Foundation
import HTTPCore
import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// SECOP II's pages, decided and rendered with the real templates, without a server.
@Suite struct SECOPRecoveryPagesTests {
    let fixture: SECOPFixture
    let pages: SECOPRecoveryPages
    let templates: TemplateSet

    init() throws {
        fixture = try SECOPFixture()
        pages = SECOPRecoveryPages(recovery: fixture.recovery)
        templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"),
                                    options: TemplateOptions(strict: true))
    }

    /// `page` rendered as the app renders it (strictly): its context plus the layout's common values.
    func render(_ page: PortalPage) throws -> String {
        var context = page.context
        context["csrf"] = "csrf-de-prueba"
        context["titulo"] = .string(page.title)
        context["clase_cuerpo"] = .string(PortalTheme.secop.cssClass)
        context["desarrollo"] = false
        return try templates.render(page.template, context)
    }

    @Test func theRequestFormFollowsTheGuide() throws {
        let html = try render(pages.forgotPasswordForm())
        #expect(html.contains("Nombre de usuario"))
        #expect(html.contains("Escriba su nombre de usuario"))
        #expect(html.contains("Enviar correo"))
        #expect(html.contains("una única vez"))
        #expect(html.contains("último correo recibido"))
        #expect(html.contains("correo no deseado"))
        #expect(html.contains("Nosotros nunca le solicitamos datos personales"))
        #expect(html.contains("name=\"csrf\" value=\"csrf-de-prueba\""))
    }

    @Test func knownAndUnknownUsersGetTheSamePageByteForByte() throws {
        try fixture.addUser("ana.perez")
        let known = try pages.forgotPassword(form: FormData(pairs: [("usuario", "ana.perez")]), clientAddress: nil)
        let unknown = try pages.forgotPassword(form: FormData(pairs: [("usuario", "nadie.asi")]), clientAddress: nil)
        #expect(known.status == .ok)
        #expect(known == unknown)
        #expect(try render(known) == render(unknown))
        #expect(try render(known).contains("Si el usuario está registrado en el SECOP II"))
        #expect(try fixture.outbox().count == 1)
    }

    @Test func knownAndUnknownAddressesGetTheSameReminderPage() throws {
        try fixture.addUser("ana.perez", email: "ana@example.com")
        let known = try pages.forgotUsername(form: FormData(pairs: [("correo", "ana@example.com")]), clientAddress: nil)
        let unknown = try pages.forgotUsername(form: FormData(pairs: [("correo", "nadie@example.com")]), clientAddress: nil)
        #expect(known == unknown)
        #expect(try render(known).contains("le enviamos un mensaje desde registro@secop.example"))
    }

    @Test func emptyInputIsA422WithTheFormAgain() throws {
        let page = try pages.forgotPassword(form: FormData(), clientAddress: nil)
        #expect(page.status == .unprocessableContent)
        #expect(try render(page).contains("Escriba su nombre de usuario del SECOP II."))
        let reminder = try pages.forgotUsername(form: FormData(pairs: [("correo", "no-es-correo")]), clientAddress: nil)
        #expect(reminder.status == .unprocessableContent)
        #expect(try render(reminder).contains("value=\"no-es-correo\""))
    }

    @Test func theChangePageShowsTheUserAndCarriesTheTokenHidden() throws {
        try fixture.addUser("gongoragabriela")
        try fixture.recovery.requestPasswordReset(username: "gongoragabriela", clientAddress: nil)
        let token = try fixture.latestToken()
        let page = try pages.changeForm(query: FormData(pairs: [("token", token)]), clientAddress: nil)
        #expect(page.carriesToken)
        let html = try render(page)
        #expect(html.contains("Está a punto de cambiar su contraseña de acceso."))
        #expect(html.contains("Nombre de usuario: <strong id=\"nombre-usuario\">gongoragabriela</strong>"))
        #expect(html.contains("<input type=\"hidden\" name=\"token\" value=\"\(token)\">"))
        #expect(html.contains("Nueva contraseña"))
        #expect(html.contains("Confirmar contraseña"))
    }

    @Test func aRefusedPasswordListsTheRulesAndKeepsTheForm() throws {
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        let page = try pages.change(form: FormData(pairs: [("token", token), ("contrasena_nueva", "123456789"),
                                                          ("contrasena_confirmacion", "12345678")]), clientAddress: nil)
        #expect(page.status == .unprocessableContent)
        let html = try render(page)
        #expect(html.contains("Es una contraseña demasiado común"))
        #expect(html.contains("La confirmación no coincide con la nueva contraseña."))
        #expect(!html.contains("123456789"))
    }

    @Test(arguments: [
        ("superseded", 410, "Use el enlace del último correo que recibió del SECOP II."),
        ("used", 410, "Este enlace ya fue usado"),
        ("expired", 410, "Este enlace venció"),
        ("unknown", 404, "Este enlace no es válido"),
    ])
    func everyUnusableLinkSaysWhyAndWhatToDo(state: String, code: Int, words: String) throws {
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        var token = try fixture.latestToken()
        switch state {
        case "superseded": try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        case "used":
            _ = try pages.change(form: FormData(pairs: [("token", token), ("contrasena_nueva", "Nueva-Clave-9931"),
                                                        ("contrasena_confirmacion", "Nueva-Clave-9931")]), clientAddress: nil)
        case "expired": fixture.clock.advance(by: 3_601)
        default: token = "AAAA" + token.dropFirst(4)
        }
        let page = try pages.changeForm(query: FormData(pairs: [("token", token)]), clientAddress: nil)
        #expect(page.status.code == code)
        #expect(page.context["estado"] == .string(state))
        #expect(try render(page).contains(words))
    }

    @Test func partialChangeFormsChangeNothing() throws {
        let user = try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        let noToken = try pages.change(form: FormData(pairs: [("contrasena_nueva", "Nueva-Clave-9931"),
                                                             ("contrasena_confirmacion", "Nueva-Clave-9931")]), clientAddress: nil)
        #expect(noToken.status == .notFound)
        let noConfirmation = try pages.change(form: FormData(pairs: [("token", token), ("contrasena_nueva", "Nueva-Clave-9931")]),
                                              clientAddress: nil)
        #expect(noConfirmation.status == .unprocessableContent)
        let nothing = try pages.change(form: FormData(pairs: [("token", token)]), clientAddress: nil)
        #expect(nothing.status == .unprocessableContent)
        #expect(nothing.context["problemas"] == .list([.string("Debe tener mínimo 8 caracteres.")]))
        let stored = try #require(try fixture.database.read { tx in try tx.users.find(id: user.id) })
        #expect(try fixture.hasher.verify("Vieja-Clave-2026", against: stored.passwordHash))
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
    }

    @Test func theDonePageSendsTheUserToLogIn() throws {
        try fixture.addUser("ana.perez")
        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let page = try pages.change(form: FormData(pairs: [("token", try fixture.latestToken()), ("contrasena_nueva", "Nueva-Clave-9931"),
                                                          ("contrasena_confirmacion", "Nueva-Clave-9931")]), clientAddress: nil)
        #expect(page.status == .ok)
        let html = try render(page)
        #expect(html.contains("Contraseña cambiada"))
        #expect(html.contains("href=\"&#x2F;secop&#x2F;ingreso\""))
    }
}
