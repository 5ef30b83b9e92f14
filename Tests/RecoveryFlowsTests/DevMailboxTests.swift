import Foundation
@testable import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// The development mailbox pages and JSON API, with real delivery by the outbox worker.
@Suite struct DevMailboxTests {
    func enqueue(_ harness: AppHarness, to recipient: String, subject: String) throws -> Int64 {
        let id = try harness.context.database.write { tx in try tx.outbox.enqueue(NewOutboxMessage(
                                          portal: "secop", sender: "registro@secop.example", recipient: recipient, subject: subject,
                                          textBody: "Hola \(subject)", htmlBody: "<p style=\"color:red\">Hola <b>\(subject)</b></p>"), now: harness.clock.now()) }
        harness.context.wakeOutbox()
        return id
    }

    @Test func theSenderShowsAsPeopleReadItNotAsAnEncodedWord() throws {
        let harness = try AppHarness()
        _ = try harness.context.database.write { tx in try tx.outbox.enqueue(NewOutboxMessage(
                                          portal: "soi", sender: "SOI Aportes en Línea <soporte@soi.example>", recipient: "luz@example.com",
                                          subject: "Prueba", textBody: "Hola", htmlBody: "<p>Hola</p>"), now: harness.clock.now()) }
        harness.context.wakeOutbox()
        let mail = try harness.waitForMail(to: "luz@example.com")
        #expect(mail.from == "SOI Aportes en Línea <soporte@soi.example>")
        let list = try harness.browser().get("/_correo")
        #expect(list.text.contains("SOI Aportes en Línea &lt;soporte@soi.example&gt;"))
        #expect(!list.text.contains("=?UTF-8?"))
    }

    @Test func datesShowInColombianTime() {
        let instant = Date(timeIntervalSince1970: 1_795_999_811)  // 2026-11-30T00:50:11Z
        #expect(DevMailboxRoutes.displayDate(instant) == "29/11/2026 19:50:11 (hora de Colombia)")
    }

    @Test func theAPIListsFiltersShowsAndDeletesMessages() throws {
        let harness = try AppHarness()
        _ = try enqueue(harness, to: "ana@example.com", subject: "Uno")
        let first = try harness.waitForMail(to: "ana@example.com")
        _ = try enqueue(harness, to: "beto@example.com", subject: "Dos")
        _ = try harness.waitForMail(to: "beto@example.com")
        _ = try enqueue(harness, to: "ana@example.com", subject: "Tres")
        let newest = try harness.waitForMail(to: "ana@example.com", newerThan: first.id)
        #expect(newest.subject == "Tres")

        let all = try JSONDecoder().decode([AppHarness.Mail].self, from: Data(try harness.browser().get("/_correo/api/mensajes").body))
        #expect(all.map(\.subject) == ["Tres", "Dos", "Uno"], "newest first")
        #expect(try harness.mails(to: "ana@example.com").map(\.subject) == ["Tres", "Uno"])
        #expect(newest.from == "registro@secop.example")
        #expect(newest.text.contains("Hola Tres"))
        #expect(newest.html.contains("<b>Tres</b>"))
        #expect(!newest.created.isEmpty)

        let one = try harness.browser().get("/_correo/api/mensajes/\(newest.id)")
        #expect(one.status == 200)
        #expect(one.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(try JSONDecoder().decode(AppHarness.Mail.self, from: Data(one.body)).id == newest.id)
        let unknown = try harness.browser().get("/_correo/api/mensajes/999999")
        #expect(unknown.status == 404)
        #expect(unknown.header("X-Content-Type-Options") == "nosniff", "thrown errors get the headers too")
        #expect(try harness.browser().get("/_correo/api/mensajes/abc").status == 404)

        #expect(try harness.browser().request("DELETE", "/_correo/api/mensajes").status == 204)
        #expect(try harness.mails(to: "ana@example.com").isEmpty)
    }

    @Test func thePagesShowTheHTMLInASandboxedFrameWithItsOwnPolicy() throws {
        let harness = try AppHarness()
        _ = try enqueue(harness, to: "ana@example.com", subject: "Prueba <i>")
        let mail = try harness.waitForMail(to: "ana@example.com")
        let list = try harness.browser().get("/_correo")
        #expect(list.status == 200)
        #expect(list.text.contains("Prueba &lt;i&gt;"))
        let page = try harness.browser().get("/_correo/\(mail.id)")
        // No scripts, forms or same-origin; a link clicked inside opens in the whole window.
        #expect(page.text.contains("<iframe class=\"mail-html\" sandbox=\"allow-top-navigation-by-user-activation\""))
        #expect(page.text.contains("Hola Prueba &lt;i&gt;"), "the text part, escaped")
        #expect(page.text.contains("Subject:") || page.text.contains("From:"), "the raw source")
        let html = try harness.browser().get("/_correo/\(mail.id)/html")
        #expect(html.text.hasPrefix("<base target=\"_top\">"), "an email without a head gets it first")
        let csp = try #require(html.header("Content-Security-Policy"))
        #expect(csp.contains("default-src 'none'"))
        #expect(csp.contains("style-src 'unsafe-inline'"))
        #expect(!csp.contains("script-src"))
        #expect(html.text.contains("style=\"color:red\""))
    }

    @Test func forwardedRequestsDoNotReachTheMailbox() throws {
        let harness = try AppHarness { $0.trustedProxies = .thisMachine }
        for header in [("X-Forwarded-For", "203.0.113.5"), ("Forwarded", "for=203.0.113.5")] {
            #expect(try harness.browser().get("/_correo", headers: [header]).status == 404)
            #expect(try harness.browser().get("/_correo/api/mensajes", headers: [header]).status == 404)
            #expect(try harness.browser().request("DELETE", "/_correo/api/mensajes", headers: [header]).status == 404)
        }
        #expect(try harness.browser().get("/_correo/api/mensajes").status == 200)
    }

    @Test("a page on another site that re-points its name at 127.0.0.1 (DNS rebinding) reads no mail, nor does any proxy")
    func rebindingAndAnyProxyHeaderDoNotReachTheMailbox() throws {
        let harness = try AppHarness()
        _ = try harness.browser().fillAndSubmit("/secop/olvide-contrasena", ["usuario": AppHarness.Demo.secopUser])
        _ = try harness.waitForMail(to: AppHarness.Demo.secopEmail)
        let browser = harness.browser()
        for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", "127.0.0.1:80x",
                     "[::1].evil.example", "10.0.0.5:8080"] {
            browser.host = host
            // 404 (the mailbox does not exist for them), or 400 where the parser refuses the Host.
            let read = try browser.get("/_correo/api/mensajes").status
            #expect(read == 404 || read == 400, "Host: \(host) got \(read)")
            let delete = try browser.request("DELETE", "/_correo/api/mensajes").status
            #expect(delete == 404 || delete == 400, "Host: \(host) got \(delete)")
        }
        for header in [("Via", "1.1 proxy"), ("X-Real-IP", "203.0.113.5"), ("X-Forwarded-Host", "clave.example"),
                       ("X-Forwarded-Proto", "https"), ("True-Client-IP", "203.0.113.5"), ("CF-Connecting-IP", "203.0.113.5")] {
            browser.host = "127.0.0.1"
            #expect(try browser.get("/_correo/api/mensajes", headers: [header]).status == 404, "\(header.0)")
        }
        for host in ["127.0.0.1", "127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.1.2.3"] {
            browser.host = host
            let list = try browser.get("/_correo/api/mensajes")
            #expect(list.status == 200, "Host: \(host)")
        }
        // None of the refused DELETEs emptied the mailbox.
        #expect(try JSONDecoder().decode([AppHarness.Mail].self, from: Data(try browser.get("/_correo/api/mensajes").body)).count == 1)
    }

    @Test func productionModeDoesNotMountTheMailbox() throws {
        let harness = try AppHarness { $0.mode = .production }
        let missing = try harness.browser().get("/_correo")
        #expect(missing.status == 404)
        #expect(missing.header("Content-Security-Policy") != nil)
        #expect(try harness.browser().get("/_correo/api/mensajes").status == 404)
        #expect(try harness.browser().request("DELETE", "/_correo/api/mensajes").status == 404)
    }
}

@Suite("Development mailbox: links leave the frame")
struct DevMailboxLinkTargetTests {
    @Test("the email's links open in the whole window: <base target=_top> first in its head")
    func baseTarget() {
        #expect(DevMailboxRoutes.linksOpenInWholeWindow("<!doctype html><html><HEAD><title>x</title></HEAD></html>")
            == "<!doctype html><html><head><base target=\"_top\"><title>x</title></HEAD></html>")
        #expect(DevMailboxRoutes.linksOpenInWholeWindow("<p>sin cabecera</p>") == "<base target=\"_top\"><p>sin cabecera</p>")
    }
}
