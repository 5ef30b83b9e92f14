import Foundation
import Testing
import TestSupport

/// `clave serve` in development mode as `make run` starts it: migrates, seeds and prints the
/// demo users, serves the portals, and each demo user logs in and out.
@Suite struct WebServeTests {
    @Test func developmentServeSeedsPrintsAndServesTheDemoUsers() throws {
        let temporary = try TemporaryDirectory(prefix: "web-serve")
        let server = try ServeProcess(["--port", "0", "--db", temporary.path("clave.sqlite"),
                                       "--resources", PackagePaths.resources.path, "--access-log", "off"],
                                      until: "Cajacopi  ")
        defer { server.stop() }
        // The banner: the URL line first, then the mail route and the demo users.
        let banner = server.banner
        let port = server.port
        #expect(banner.contains("development mailbox"))
        #expect(banner.contains("Secop-Demo-2026"))

        let logins: [(String, [String: String])] = [
            ("soi", ["empresa_tipo": "NIT", "empresa_numero": "900123456-8", "usuario_tipo": "CC",
                     "usuario_numero": "1020304050", "clave": "Soi-Demo-2026"]),
            ("secop", ["usuario": "demo.secop", "contrasena": "Secop-Demo-2026"]),
            ("cajacopi", ["correo": "afiliado@example.com", "contrasena": "Cajacopi-Demo-2026"]),
        ]
        #expect(try WebClient(port: port).get("/").status == 200)
        for (portal, fields) in logins {
            let browser = WebClient(port: port)
            let login = try browser.fillAndSubmit("/\(portal)/ingreso", fields)
            #expect(login.status == 303, "\(portal)")
            let home = try browser.get("/\(portal)/inicio")
            #expect(home.status == 200, "\(portal)")
            #expect(try browser.submit(home, to: "/\(portal)/salir", [:]).status == 303)
            #expect(try browser.get("/\(portal)/inicio").status == 303)
        }
        #expect(try WebClient(port: port).get("/_correo/api/mensajes").text == "[]")

        #expect(server.stop() == 0)
    }
}
