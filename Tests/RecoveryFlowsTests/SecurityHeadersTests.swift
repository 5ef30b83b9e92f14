import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// Every response carries the security headers; no page holds inline script or style.
@Suite struct SecurityHeadersTests {
    static let paths = ["/", "/soi/ingreso", "/secop/ingreso", "/cajacopi/ingreso", "/no/existe", "/soi/no-existe",
                        "/static/css/clave.css", "/_correo", "/healthz", "/secop/inicio", "/secop/ingreso?token=abc"]

    @Test func everyResponseCarriesTheHeaders() throws {
        let harness = try AppHarness()
        for path in Self.paths {
            let response = try harness.browser().get(path)
            let csp = try #require(response.header("Content-Security-Policy"), "\(path)")
            #expect(csp.contains("default-src 'self'"))
            #expect(csp.contains("script-src 'self'"))
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(!csp.contains("unsafe-inline"))
            #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)")
            #expect(response.header("Referrer-Policy") != nil, "\(path)")
            #expect(response.header("Strict-Transport-Security") == nil, "http public URL: no HSTS")
        }
        #expect(try harness.browser().get("/secop/ingreso?token=abc").header("Referrer-Policy") == "no-referrer")
        #expect(try harness.browser().get("/secop/ingreso").header("Cache-Control") == "no-store")
    }

    @Test func postsAndErrorPagesCarryThemToo() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        for response in [try browser.post("/secop/ingreso", []), try browser.fillAndSubmit("/secop/ingreso", [:]),
                         try browser.request("DELETE", "/secop/ingreso")] {
            #expect(response.header("Content-Security-Policy") != nil)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
        }
        let notAllowed = try browser.request("DELETE", "/secop/ingreso")
        #expect(notAllowed.status == 405)
        #expect(notAllowed.header("Allow")?.contains("POST") == true)
        #expect(notAllowed.text.contains("portal-secop"), "themed by the path's portal")
    }

    @Test func httpsPublicURLAddsHSTS() throws {
        let harness = try AppHarness { $0.publicURL = URL(string: "https://clave.example.com")! }
        let response = try harness.browser().get("/")
        #expect(response.header("Strict-Transport-Security")?.hasPrefix("max-age=") == true)
    }

    @Test func pagesHoldNoInlineScriptOrStyle() throws {
        let harness = try AppHarness()
        for path in ["/", "/soi/ingreso", "/secop/ingreso", "/cajacopi/ingreso", "/no/existe", "/_correo"] {
            let html = try harness.browser().get(path).text.lowercased()
            #expect(!html.contains("<script"), "\(path)")
            #expect(!html.contains("<style"), "\(path)")
            #expect(!html.contains(" style="), "\(path)")
            #expect(!html.contains(" onclick="), "\(path)")
        }
    }
}
