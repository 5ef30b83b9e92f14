import ClaveTime
import Foundation
import HTTPCore
@testable import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// The route contract, checked on the app as built (no socket): one table per portal, CSRF on
/// every state-changing route unless spelled out as exempt, duplicates and empty tables refused
/// at start-up, limits only where declared, and errors rendered in one place.
@Suite struct RouteTableTests {
    let directory: TemporaryDirectory
    let context: AppContext

    init() throws {
        directory = try TemporaryDirectory(prefix: "clave-routes")
        let database = try TestStore.open(in: directory)
        try database.migrate()
        context = try AppContext(configuration: try Self.configuration(.development, "http://clave.test"), database: database,
                                 clock: ManualClock(followsRealTime: true))
    }

    /// The app's configuration for `mode`, with strict templates (a missing value is an error).
    static func configuration(_ mode: AppMode, _ publicURL: String) throws -> AppConfiguration {
        var configuration = AppConfiguration(mode: mode, publicURL: try #require(URL(string: publicURL)),
                                             resources: PackagePaths.resources, hashCost: .testing, reloadTemplates: false)
        configuration.strictTemplates = true
        return configuration
    }

    static func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
        var request = HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: HTTPHeaders()))
        request.remoteAddress = "127.0.0.1"
        return request
    }

    @Test("every portal declares its routes, and DESIGN.md's routes are all there")
    func everyPortalHasItsTable() throws {
        let app = try ClaveApp(context: context)
        let owners = Set(app.routes.map(\.owner))
        #expect(owners == ["clave", "soi", "secop", "cajacopi", "dev"])
        let served = Set(app.routes.map { "\($0.method) \($0.path)" })
        for route in ["GET /soi/ingreso", "POST /soi/ingreso", "GET /soi/olvido-clave", "POST /soi/olvido-clave",
                      "GET /soi/cambio-clave", "POST /soi/cambio-clave", "GET /soi/inicio", "POST /soi/salir",
                      "GET /secop/ingreso", "POST /secop/ingreso", "GET /secop/olvide-contrasena", "POST /secop/olvide-contrasena",
                      "GET /secop/olvide-usuario", "POST /secop/olvide-usuario", "GET /secop/cambiar-contrasena",
                      "POST /secop/cambiar-contrasena", "GET /secop/inicio", "POST /secop/salir",
                      "GET /cajacopi/ingreso", "POST /cajacopi/ingreso", "GET /cajacopi/restablecer", "POST /cajacopi/restablecer",
                      "GET /cajacopi/captcha/{id}.png", "GET /cajacopi/captcha/{id}.wav", "POST /cajacopi/captcha", "GET /cajacopi/nueva-contrasena",
                      "POST /cajacopi/nueva-contrasena", "GET /cajacopi/inicio", "POST /cajacopi/salir",
                      "GET /", "GET /healthz", "GET /readyz", "GET /metrics", "GET /_correo", "GET /_correo/api/mensajes",
                      "GET /_correo/api/mensajes/{id}", "DELETE /_correo/api/mensajes"] {
            #expect(served.contains(route), "\(route) is not served")
        }
    }

    @Test("no route changes state without CSRF unless it is listed as exempt with a reason")
    func everyPostIsCSRFChecked() throws {
        let app = try ClaveApp(context: context)
        for route in app.routes where route.method != "GET" {
            #expect(route.csrf == "checked" || route.csrf.hasPrefix("exempt: "), "\(route.method) \(route.path): \(route.csrf)")
        }
        let exempt = app.routes.filter { $0.csrf.hasPrefix("exempt: ") }
        #expect(exempt.map { "\($0.method) \($0.path)" } == ["DELETE /_correo/api/mensajes"])
        #expect(exempt.allSatisfy { $0.owner == "dev" })
    }

    @Test("production serves neither the mailbox nor the captcha answers")
    func productionHasNoDevelopmentRoutes() throws {
        let production = try AppContext(configuration: try Self.configuration(.production, "https://clave.test"),
                                        database: context.database)
        let app = try ClaveApp(context: production)
        #expect(!app.routes.contains { $0.owner == "dev" || $0.path.hasPrefix("/_") })
        // Metrics are for the admin listener only; liveness and readiness stay public.
        let served = Set(app.routes.map { "\($0.method) \($0.path)" })
        #expect(!served.contains("GET /metrics"))
        #expect(served.isSuperset(of: ["GET /healthz", "GET /readyz"]))
    }

    @Test("a duplicate route stops start-up with one clear line naming it")
    func duplicateRouteFails() throws {
        let tables = [SECOPPortal.routes(in: context), RouteTable("otro", [.form("/secop/ingreso") { _ in .text("x") }])]
        #expect(throws: ClaveAppError.duplicateRoute("POST /secop/ingreso")) { try ClaveApp(context: context, tables: tables) }
        #expect(ClaveAppError.duplicateRoute("POST /secop/ingreso").description
                == "duplicate route POST /secop/ingreso: each method and path may be declared once")
        let patterned = RouteTable("x", [.resource("/a/{id}.png") { _ in .text("1") }, .resource("/a/{id}.png") { _ in .text("2") }])
        #expect(throws: ClaveAppError.duplicateRoute("GET /a/{id}.png")) { try ClaveApp(context: context, tables: [patterned]) }
    }

    @Test("a portal without routes stops start-up")
    func emptyTableFails() throws {
        #expect(throws: ClaveAppError.portalWithoutRoutes("soi")) {
            try ClaveApp(context: context, tables: [RouteTable("soi", [])])
        }
    }

    @Test("a handler can spend only the limit its route declares; anything else is a logged 500, never unlimited")
    func undeclaredLimitIsAnError() throws {
        let table = RouteTable("x", [.page("/x") { request in
            try request.rateLimit(identifier: "alguien")
            return .text("sin límite")
        }])
        let app = try ClaveApp(context: context, tables: [table])
        let response = try app.respond(to: Self.request(.get, "/x"))
        #expect(response.status == .internalServerError)
    }

    @Test("what handlers throw renders itself: 429 with Retry-After, 404 and 405 themed, unknown errors 500")
    func errorsRenderThemselves() throws {
        struct Unexpected: Error {}
        let table = RouteTable("secop", [
            .page("/secop/limitado") { _ in throw RateLimited(retryAfter: 41.2) },
            .page("/secop/roto") { _ in throw Unexpected() },
            .resource("/secop/imagen") { _ in throw HTTPError(.notFound, message: "No está.") },
        ])
        let app = try ClaveApp(context: context, tables: [table])
        let limited = try app.respond(to: Self.request(.get, "/secop/limitado"))
        #expect(limited.status == .tooManyRequests)
        #expect(limited.headers["Retry-After"] == "42")
        #expect(String(decoding: limited.body, as: UTF8.self).contains("Demasiados intentos"))
        let broken = try app.respond(to: Self.request(.get, "/secop/roto"))
        #expect(broken.status == .internalServerError)
        for (method, target, status) in [(HTTPMethod.get, "/secop/imagen", HTTPStatus.notFound),
                                          (.get, "/secop/no-existe", .notFound), (.post, "/secop/limitado", .methodNotAllowed),
                                          (.get, "/static/no-existe.css", .notFound)] {
            let response = try app.respond(to: Self.request(method, target))
            #expect(response.status == status, "\(method) \(target)")
            let html = String(decoding: response.body, as: UTF8.self)
            #expect(html.contains("clave.css"), "\(target): the themed layout, not the server's plain page")
            #expect(response.headers["Content-Security-Policy"] == ContentSecurityPolicy.pages.headerValue)
            #expect(response.headers["X-Clave-Themed"] == nil)
        }
        #expect(try app.respond(to: Self.request(.post, "/secop/limitado")).headers["Allow"] == "GET, HEAD")
    }
}
