import Foundation
import HTTPCore
import RecoveryFlows
import Testing
import TestSupport

/// The chooser, the themes and the pieces flows build on.
@Suite struct WebShellTests {
    @Test func theChooserLinksTheThreeLoginPages() throws {
        let harness = try AppHarness()
        let page = try harness.browser().get("/")
        #expect(page.status == 200)
        for link in ["/soi/ingreso", "/secop/ingreso", "/cajacopi/ingreso"] {
            #expect(page.text.contains("href=\"\(link.replacingOccurrences(of: "/", with: "&#x2F;"))\""), "\(link)")
        }
    }

    @Test func eachLoginPageHasItsThemeFieldsLabelsAndRecoveryLinks() throws {
        let harness = try AppHarness()
        let expectations: [(String, String, [String], [String])] = [
            ("soi", "portal-soi", ["empresa_tipo", "empresa_numero", "usuario_tipo", "usuario_numero", "clave"], ["¿Olvidó su clave?"]),
            ("secop", "portal-secop", ["usuario", "contrasena"], ["Olvidé la contraseña", "Olvidé el usuario"]),
            ("cajacopi", "portal-cajacopi", ["correo", "contrasena"], ["¿Olvidaste tu contraseña?"]),
        ]
        for (portal, css, fields, links) in expectations {
            let page = try harness.browser().get("/\(portal)/ingreso")
            #expect(page.text.contains("<body class=\"\(css)\">"))
            for field in fields {
                #expect(page.text.contains("name=\"\(field)\""), "\(portal) \(field)")
                #expect(page.text.contains("<label") && page.text.contains("for=\"\(field)\""), "\(portal) label for \(field)")
            }
            for link in links { #expect(page.text.contains(link), "\(portal) \(link)") }
            #expect(page.text.contains("name=\"csrf\""))
        }
        let soi = try harness.browser().get("/soi/ingreso").text
        #expect(soi.contains("Cédula de ciudadanía"), "document types with full names")
    }

    @Test func flashNoticesCannotBeForged() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        browser.setCookie("clave_aviso", "aW5mbzpIb2xh.AAAA")
        let page = try browser.get("/secop/ingreso")
        #expect(!page.text.contains("Hola"))
    }

    @Test func uniformTimingPadsToTheFloorPlusJitter() {
        let timing = UniformTiming(floor: 0.05, jitter: 0.01)
        for _ in 0..<50 {
            let latency = timing.padded(.text("igual")).minimumLatency ?? .zero
            #expect(latency >= .milliseconds(50) && latency <= .milliseconds(60), "\(latency)")
        }
        #expect(UniformTiming(floor: 0.2, jitter: 0).padded(.text("x")).minimumLatency == .milliseconds(200))
    }

    /// In process (the transport holds the answer as the server would) and through the live
    /// server, whose event loop holds it on its timer.
    @Test(arguments: TestTransport.allCases)
    func aPaddedRequestPageLeavesNoEarlierThanTheFloor(transport: TestTransport) throws {
        let harness = try AppHarness(transport: transport) { $0.uniformTiming = UniformTiming(floor: 0.3, jitter: 0) }
        let browser = harness.browser()
        let form = try browser.get("/secop/olvide-contrasena")
        let start = Date()
        let answer = try browser.submit(form, to: "/secop/olvide-contrasena", ["usuario": "nadie.\(UUID().uuidString.prefix(8))"])
        #expect(answer.status == 200)
        #expect(Date().timeIntervalSince(start) >= 0.29)
    }

    @Test func theHashingPoolAnswers503WhenNoSlotFreesUp() throws {
        let pool = PasswordHashingPool(concurrency: 1, wait: 0.05)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? pool.run { entered.signal(); release.wait() }
        }
        entered.wait()
        #expect(throws: HTTPError.self) { try pool.run { () } }
        release.signal()
    }

    @Test func csrfTokensAreTiedToTheirSecret() {
        let token = CSRFProtection.token(secret: "uno")
        #expect(CSRFProtection.isValid(token, secret: "uno"))
        #expect(!CSRFProtection.isValid(token, secret: "dos"))
        #expect(!CSRFProtection.isValid(nil, secret: "uno"))
        #expect(!CSRFProtection.isValid(token + "x", secret: "uno"))
    }

    @Test func harnessMailLinksAreFoundByPathPrefix() throws {
        let json = #"{"id":1,"to":"a@example.com","from":"b@example.com","subject":"s","html":"","created":"x","#
            + #""text":"Abra http://clave.test/secop/ayuda y luego\nhttp://clave.test/secop/cambiar-contrasena?token=abc_123\n"}"#
        let mail = try JSONDecoder().decode(AppHarness.Mail.self, from: Data(json.utf8))
        #expect(mail.linkPath(startingWith: "/secop/cambiar") == "/secop/cambiar-contrasena?token=abc_123")
        #expect(mail.linkPath() == "/secop/ayuda")
        #expect(mail.linkPath(startingWith: "/cajacopi") == nil)
    }
}
