import Foundation
import HTTPCore
import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// SECOP II's routes on a live server over loopback, with the real store, templates and rate
/// limits; the shell's session CSRF is stood in by a fixed field value (the shell's own tests
/// cover its CSRF; here we check that the routes refuse what it refuses).
@Suite struct SECOPRecoveryRoutesTests {
    static let csrf = "csrf-valido"
    let fixture: SECOPFixture
    let server: LiveServer

    init() throws {
        let fixture = try SECOPFixture()
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"))
        let limits = RateLimitRepository(database: fixture.database)
        let clock = fixture.clock
        let services = SECOPWebServices(
            render: { _, page in
                var context = page.context
                context["csrf"] = .string(Self.csrf)
                var response = HTTPResponse.html(try templates.render(page.template, context), status: page.status)
                response.headers.replace("Referrer-Policy", "same-origin")
                return response
            },
            csrfIsValid: { _, form in form["csrf"] == Self.csrf },
            allow: { request, action, identifier in
                let byAddress = (try? limits.hit(key: "\(action):ip:\(request.remoteAddress)", window: 600, limit: 20, now: clock.now))?.allowed ?? false
                let byIdentifier = (try? limits.hit(key: "\(action):id:\(identifier)", window: 600, limit: 3, now: clock.now))?.allowed ?? false
                return byAddress && byIdentifier
            },
            refuse: { _, status, message in .text(message, status: status) },
            timingFloor: { body in try body() })
        var router = Router()
        SECOPRecoveryRoutes.register(on: &router, pages: SECOPRecoveryPages(recovery: fixture.recovery), services: services)
        self.fixture = fixture
        server = try LiveServer(router)
    }

    func request(_ method: String, _ target: String, form: [(String, String)]? = nil) throws -> RawHTTPResponse {
        let client = try server.connect()
        defer { client.close() }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: atacante.example\r\nConnection: close\r\n"
        if let form {
            let body = form.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
            text += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        try client.send(text)
        return try client.readResponse()
    }

    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test func theWholeFlowOverHTTP() throws {
        try fixture.addUser("ana.perez")
        #expect(try request("GET", "/secop/olvide-contrasena").status == 200)
        let sent = try request("POST", "/secop/olvide-contrasena", form: [("csrf", Self.csrf), ("usuario", "ana.perez")])
        #expect(sent.status == 200)
        let token = try fixture.latestToken()
        // The link uses the configured public URL, not the Host header the request sent.
        let mail = try #require(try fixture.outbox().last)
        #expect(mail.textBody.contains("https://clave.example.co/secop/cambiar-contrasena?token="))
        #expect(!mail.textBody.contains("atacante.example"))

        let form = try request("GET", "/secop/cambiar-contrasena?token=" + token)
        #expect(form.status == 200)
        #expect(form.header("Referrer-Policy") == "no-referrer")
        #expect(form.text.contains("Nombre de usuario: <strong id=\"nombre-usuario\">ana.perez</strong>"))

        let done = try request("POST", "/secop/cambiar-contrasena", form: [
            ("csrf", Self.csrf), ("token", token), ("contrasena_nueva", "Nueva-Clave-9931"), ("contrasena_confirmacion", "Nueva-Clave-9931")])
        #expect(done.status == 200)
        #expect(done.header("Referrer-Policy") == "no-referrer")
        #expect(done.text.contains("Contraseña cambiada"))
        #expect(done.header("Set-Cookie") == nil)

        let again = try request("GET", "/secop/cambiar-contrasena?token=" + token)
        #expect(again.status == 410)
        #expect(again.text.contains("Este enlace ya fue usado"))
    }

    @Test func postsWithoutTheCSRFFieldAreRefusedAndChangeNothing() throws {
        try fixture.addUser("ana.perez")
        let missing = try request("POST", "/secop/olvide-contrasena", form: [("usuario", "ana.perez")])
        #expect(missing.status == 403)
        let wrong = try request("POST", "/secop/olvide-usuario", form: [("csrf", "otro"), ("correo", "compras@example.com")])
        #expect(wrong.status == 403)
        #expect(try fixture.outbox().isEmpty)

        try fixture.recovery.requestPasswordReset(username: "ana.perez", clientAddress: nil)
        let token = try fixture.latestToken()
        let change = try request("POST", "/secop/cambiar-contrasena", form: [
            ("token", token), ("contrasena_nueva", "Nueva-Clave-9931"), ("contrasena_confirmacion", "Nueva-Clave-9931")])
        #expect(change.status == 403)
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
    }

    @Test func requestsAreRateLimitedPerIdentifierWhetherOrNotItExists() throws {
        for name in ["ana.perez", "nadie.asi"] {
            if name == "ana.perez" { try fixture.addUser(name) }
            for _ in 0..<3 {
                #expect(try request("POST", "/secop/olvide-contrasena", form: [("csrf", Self.csrf), ("usuario", name)]).status == 200)
            }
            let limited = try request("POST", "/secop/olvide-contrasena", form: [("csrf", Self.csrf), ("usuario", " \(name.uppercased()) ")])
            #expect(limited.status == 429)
        }
        #expect(try fixture.outbox().count == 3)
    }

    @Test func linkRedemptionsAreRateLimited() throws {
        for _ in 0..<3 {
            #expect(try request("GET", "/secop/cambiar-contrasena?token=adivinado").status == 404)
        }
        #expect(try request("GET", "/secop/cambiar-contrasena?token=adivinado").status == 429)
    }

    @Test func aMalformedFormIsA400() throws {
        let response = try request("POST", "/secop/olvide-contrasena", form: nil)
        #expect(response.status != 500)
        let client = try server.connect()
        defer { client.close() }
        try client.send("POST /secop/olvide-contrasena HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nConnection: close\r\n\r\n%zz=1")
        #expect(try client.readResponse().status == 400)
    }
}
