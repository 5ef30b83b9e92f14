import ClaveTime
import Foundation
import HTTPCore
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// SECOP II's routes in the real app (`ClaveApp`: sessions, CSRF, rate limits, security
/// headers, layout) reached in process, with a real SQLite file and strict templates.
@Suite struct SECOPRecoveryRoutesTests {
    let fixture: SECOPFixture
    let context: AppContext
    let clock = ManualClock(followsRealTime: true)
    let endpoint: TestEndpoint

    init() throws {
        try self.init(rateLimits: RateLimitPolicy())
    }

    init(rateLimits: RateLimitPolicy) throws {
        fixture = try SECOPFixture()
        var configuration = AppConfiguration(publicURL: try #require(URL(string: "https://clave.example.co")),
                                             resources: PackagePaths.resources, rateLimits: rateLimits, hashCost: .testing,
                                             uniformTiming: UniformTiming(floor: 0.05, jitter: 0))
        configuration.strictTemplates = true
        context = try AppContext(configuration: configuration, database: fixture.database, clock: clock,
                                 logger: .init(label: "test", sink: .discard))
        endpoint = try TestEndpoint(try ClaveApp(context: context), over: .inProcess)
    }

    func browser() -> SECOPWebClient { SECOPWebClient(transport: endpoint.transport) }

    /// The token in the newest reset email in the outbox.
    func latestToken() throws -> String { try fixture.latestToken() }

    @Test func theWholeFlowOverHTTP() throws {
        try fixture.addUser("ana.perez")
        let web = browser()
        let login = try web.get("/secop/ingreso")
        #expect(login.text.contains("href=\"/secop/olvide-contrasena\"") || login.text.contains("&#x2F;secop&#x2F;olvide-contrasena"))
        let form = try web.get("/secop/olvide-contrasena")
        #expect(form.status == 200)
        #expect(form.text.contains("Enviar correo"))
        let sent = try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")])
        #expect(sent.status == 200)
        #expect(sent.text.contains("Si el usuario está registrado en el SECOP II"))
        let token = try latestToken()
        // The link is built from the configured public URL, never from the Host header.
        let mail = try #require(try fixture.outbox().last)
        #expect(mail.textBody.contains("https://clave.example.co/secop/cambiar-contrasena?token=" + token))
        #expect(!mail.textBody.contains("127.0.0.1"))

        let page = try web.get("/secop/cambiar-contrasena?token=" + token)
        #expect(page.status == 200)
        #expect(page.header("Referrer-Policy") == "no-referrer")
        #expect(page.text.contains("Nombre de usuario: <strong id=\"nombre-usuario\">ana.perez</strong>"))
        #expect(page.text.contains("Está a punto de cambiar su contraseña de acceso."))

        let done = try web.post("/secop/cambiar-contrasena", [("token", token), ("contrasena_nueva", "Nueva-Clave-9931"),
                                                              ("contrasena_confirmacion", "Nueva-Clave-9931")])
        #expect(done.status == 200)
        #expect(done.header("Referrer-Policy") == "no-referrer")
        #expect(done.text.contains("Contraseña cambiada"))

        // Not logged in automatically: the home page sends the visitor to the login page.
        let home = try web.get("/secop/inicio")
        #expect(home.status == 303 || home.status == 302)

        let again = try web.get("/secop/cambiar-contrasena?token=" + token)
        #expect(again.status == 410)
        #expect(again.text.contains("Este enlace ya fue usado"))

        let loggedIn = try web.post("/secop/ingreso", [("usuario", "ana.perez"), ("contrasena", "Nueva-Clave-9931")])
        #expect(loggedIn.status == 303)
        #expect(loggedIn.header("Location")?.hasSuffix("/secop/inicio") == true)

        // Every step that changes something is in the audit log, and no entry holds the token,
        // the link or a password. Opening the link (a GET) writes nothing: it is a log line.
        let audit = try fixture.database.read { tx in try tx.auditLog.recent(limit: 100) }
        let events = Set(audit.map(\.event))
        for event in ["reset.requested", "password.changed"] {
            #expect(events.contains(event), "missing \(event) in \(events)")
        }
        #expect(!events.contains("reset.link_opened"), "a GET writes no audit entry")
        for entry in audit {
            #expect(!entry.detail.contains(token) && !entry.detail.contains("Nueva-Clave") && !entry.detail.contains("cambiar-contrasena?"))
        }
    }

    @Test func theRequestPageIsTheSameForKnownAndUnknownUsersApartFromTheCSRFToken() throws {
        try fixture.addUser("ana.perez")
        func answer(_ name: String) throws -> (Int, String, [String]) {
            let web = browser()
            try web.get("/secop/olvide-contrasena")
            let response = try web.post("/secop/olvide-contrasena", [("usuario", name)])
            let csrf = try #require(web.csrf)
            // Headers too, apart from the clock's Date and per-request cookies.
            let headers = response.headers.filter { !["date", "set-cookie"].contains($0.0.lowercased()) }
                .map { "\($0.0.lowercased()): \($0.1)" }.sorted()
            return (response.status, response.text.replacingOccurrences(of: csrf, with: "CSRF"), headers)
        }
        let known = try answer("ana.perez")
        let unknown = try answer("nadie.asi")
        #expect(known.0 == 200)
        #expect(known.0 == unknown.0)
        #expect(known.1 == unknown.1)
        #expect(known.2 == unknown.2)
        #expect(try fixture.outbox().count == 1)

        func reminder(_ email: String) throws -> (Int, String) {
            let web = browser()
            try web.get("/secop/olvide-usuario")
            let response = try web.post("/secop/olvide-usuario", [("correo", email)])
            return (response.status, response.text.replacingOccurrences(of: try #require(web.csrf), with: "CSRF"))
        }
        let knownAddress = try reminder("compras@example.com")
        let unknownAddress = try reminder("nadie@example.com")
        #expect(knownAddress.0 == 200)
        #expect(knownAddress == unknownAddress)
    }

    @Test func postsWithoutCSRFAreRefusedAndChangeNothing() throws {
        try fixture.addUser("ana.perez")
        let web = browser()
        try web.get("/secop/olvide-contrasena")
        #expect(try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")], withCSRF: false).status == 403)
        #expect(try web.post("/secop/olvide-usuario", [("correo", "compras@example.com"), ("csrf", "falso")], withCSRF: false).status == 403)
        #expect(try fixture.outbox().isEmpty)

        try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")])
        let token = try latestToken()
        let change = try web.post("/secop/cambiar-contrasena", [("token", token), ("contrasena_nueva", "Nueva-Clave-9931"),
                                                                ("contrasena_confirmacion", "Nueva-Clave-9931")], withCSRF: false)
        #expect(change.status == 403)
        #expect(try fixture.recovery.inspectLink(token: token, clientAddress: nil) == .valid(username: "ana.perez"))
    }

    @Test func requestsAreLimitedPerUserNameWhetherOrNotItExists() throws {
        // A generous per-address limit, so only the per-user-name limit (5 an hour) is at work.
        let generous = RouteLimits(perAddress: RateLimitRule(100, per: 900), perIdentifier: RateLimitRule(5, per: 3_600))
        let app = try SECOPRecoveryRoutesTests(rateLimits: RateLimitPolicy(routes: [SECOPPortal.RecoveryLimit.forgotPassword: generous]))
        let fixture = app.fixture
        try fixture.addUser("ana.perez")
        for name in ["ana.perez", "nadie.asi"] {
            let web = app.browser()
            try web.get("/secop/olvide-contrasena")
            for _ in 0..<5 {
                #expect(try web.post("/secop/olvide-contrasena", [("usuario", name)]).status == 200)
            }
            let limited = try web.post("/secop/olvide-contrasena", [("usuario", " \(name.uppercased()) ")])
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") != nil)
        }
        #expect(try fixture.outbox().count == 5)
    }

    @Test func reminderRequestsAreLimitedPerEmailAddress() throws {
        let generous = RouteLimits(perAddress: RateLimitRule(100, per: 900), perIdentifier: RateLimitRule(5, per: 3_600))
        let app = try SECOPRecoveryRoutesTests(rateLimits: RateLimitPolicy(routes: [SECOPPortal.RecoveryLimit.forgotUsername: generous]))
        let web = app.browser()
        try web.get("/secop/olvide-usuario")
        for _ in 0..<5 {
            #expect(try web.post("/secop/olvide-usuario", [("correo", "nadie@example.com")]).status == 200)
        }
        #expect(try web.post("/secop/olvide-usuario", [("correo", "NADIE@example.com ")]).status == 429)
        #expect(try web.post("/secop/olvide-usuario", [("correo", "otra@example.com")]).status == 200)
    }

    @Test func requestsAreLimitedPerAddress() throws {
        let web = browser()
        try web.get("/secop/olvide-usuario")
        for attempt in 0..<10 {
            #expect(try web.post("/secop/olvide-usuario", [("correo", "persona\(attempt)@example.com")]).status == 200)
        }
        #expect(try web.post("/secop/olvide-usuario", [("correo", "otra@example.com")]).status == 429)
    }

    @Test func linkOpeningsAreLimitedPerAddress() throws {
        let web = browser()
        var statuses: [Int] = []
        for attempt in 0..<11 {
            statuses.append(try web.get("/secop/cambiar-contrasena?token=adivinado\(attempt)").status)
        }
        #expect(statuses.prefix(10).allSatisfy { $0 == 404 })
        #expect(statuses.last == 429)
    }

    @Test func expiredAndSupersededLinksSaySoInThePage() throws {
        try fixture.addUser("ana.perez")
        let web = browser()
        try web.get("/secop/olvide-contrasena")
        try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")])
        let first = try latestToken()
        try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")])
        let second = try latestToken()
        let superseded = try web.get("/secop/cambiar-contrasena?token=" + first)
        #expect(superseded.status == 410)
        #expect(superseded.text.contains("Use el enlace del último correo que recibió del SECOP II."))
        #expect(superseded.header("Referrer-Policy") == "no-referrer")
        // The shell's clock moves the app; the recovery steps read the same clock.
        clock.advance(by: 3_601)
        let expired = try web.get("/secop/cambiar-contrasena?token=" + second)
        #expect(expired.status == 410)
        #expect(expired.text.contains("Este enlace venció"))
    }

    @Test func aRefusedPasswordIsA422ThatKeepsTheLink() throws {
        try fixture.addUser("ana.perez")
        let web = browser()
        try web.get("/secop/olvide-contrasena")
        try web.post("/secop/olvide-contrasena", [("usuario", "ana.perez")])
        let token = try latestToken()
        let opened = try web.get("/secop/cambiar-contrasena?token=" + token)
        #expect(opened.status == 200, "\(opened.headers)")
        let refused = try web.post("/secop/cambiar-contrasena", [("token", token), ("contrasena_nueva", "ana.perez2026"),
                                                                 ("contrasena_confirmacion", "otra-cosa-2026")])
        #expect(refused.status == 422)
        #expect(refused.text.contains("No debe contener su nombre de usuario."))
        #expect(refused.text.contains("La confirmación no coincide con la nueva contraseña."))
        #expect(SECOPWebClient.field("token", in: refused.text) == token)
    }
}
