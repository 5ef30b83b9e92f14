import Foundation
import Testing
import TestSupport

/// A trusted proxy's forwarding field that names no client is a 400 page, rendered like every
/// other error page (never a guess at the client); from anyone else the field is not read.
struct ProxyHeaderTests {
    @Test(arguments: [("X-Forwarded-For", "no-es-una-ip"), ("Forwarded", "for=\"[2001:db8::1\""),
                      ("Forwarded", "for=192.0.2.1;for=192.0.2.2")])
    func aMalformedFieldFromATrustedProxyIsA400Page(name: String, value: String) throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let browser = harness.browser()
        browser.extraHeaders = [(name, value)]
        let page = try browser.get("/secop/olvide-contrasena")
        #expect(page.status == 400)
        #expect(page.text.contains("encabezados de reenvío no válidos"))
        #expect(page.header("Content-Security-Policy") != nil)
    }

    @Test func conflictingFieldsFromATrustedProxyAreA400Page() throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let browser = harness.browser()
        browser.extraHeaders = [("X-Forwarded-For", "192.0.2.9"), ("Forwarded", "for=198.51.100.66")]
        #expect(try browser.get("/secop/olvide-contrasena").status == 400)
        browser.extraHeaders = [("X-Forwarded-For", "192.0.2.9"), ("Forwarded", "for=192.0.2.9")]
        #expect(try browser.get("/secop/olvide-contrasena").status == 200)
    }

    @Test func aMalformedFieldFromAnUntrustedPeerIsNotRead() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        browser.extraHeaders = [("X-Forwarded-For", "no-es-una-ip"), ("Forwarded", "for=\"[")]
        #expect(try browser.get("/secop/olvide-contrasena").status == 200)
    }

    @Test func forwardedNamesTheClientInTheAuditLog() throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        let browser = harness.browser()
        browser.extraHeaders = [("Forwarded", "for=\"[2001:DB8::7]:4711\";proto=https, for=127.0.0.1")]
        #expect(try browser.fillAndSubmit("/secop/olvide-contrasena", ["usuario": "nadie"]).status == 200)
        let audit = try harness.context.database.read { tx in try tx.auditLog.recent(event: "reset.requested", limit: 1) }
        #expect(audit.first?.clientAddress == "2001:db8::7")
    }
}
