import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// Bad input gets a 4xx page that escapes what it echoes; never a crash.
@Suite struct BadInputTests {
    @Test func missingFieldsGetErrorsNextToTheFields() throws {
        let harness = try AppHarness()
        let secop = try harness.browser().fillAndSubmit("/secop/ingreso", [:])
        #expect(secop.status == 422)
        #expect(secop.text.components(separatedBy: "class=\"field-error\"").count == 3)
        let soi = try harness.browser().fillAndSubmit("/soi/ingreso", ["empresa_tipo": "XX", "usuario_tipo": "CC", "usuario_numero": "12"])
        #expect(soi.status == 422)
        #expect(soi.text.contains("Elija un tipo de documento."))
        #expect(soi.text.contains("El número de documento no es válido."))
        let cajacopi = try harness.browser().fillAndSubmit("/cajacopi/ingreso", ["correo": "no-es-correo", "contrasena": "x"])
        #expect(cajacopi.status == 422)
        #expect(cajacopi.text.contains("value=\"no-es-correo\""))
    }

    @Test func scriptTagsAreEscapedWhereverTheyAreEchoed() throws {
        let harness = try AppHarness()
        let attack = "<script>alert(1)</script>\"'"
        let page = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": attack, "contrasena": "x"])
        #expect(page.status == 422)
        #expect(!page.text.contains("<script>"))
        #expect(page.text.contains("&lt;script&gt;"))
        let mailbox = try harness.browser().get("/_correo?para=%3Cscript%3E")
        #expect(!mailbox.text.contains("<script>"))
    }

    @Test func oversizedValuesGet400() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let page = try browser.get("/secop/ingreso")
        let huge = String(repeating: "a", count: 5_000)
        let response = try browser.submit(page, to: "/secop/ingreso", ["usuario": huge, "contrasena": "x"])
        #expect(response.status == 400)
        #expect(response.text.contains("portal-secop"))
        let long = try browser.submit(page, to: "/secop/ingreso", ["usuario": String(repeating: "b", count: 300), "contrasena": "x"])
        #expect(long.status == 422)
        #expect(long.text.contains("como máximo"))
    }

    @Test func invalidUTF8AndMalformedFormsGet400() throws {
        let harness = try AppHarness()
        let browser = harness.browser()
        let token = try browser.get("/secop/ingreso").csrfToken()
        let body = Array("csrf=\(token)&usuario=%FF%FE&contrasena=x".utf8)
        let response = try browser.request("POST", "/secop/ingreso", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        #expect(response.status == 400)
        let malformed = try browser.request("POST", "/secop/ingreso", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                            body: Array("csrf=\(token)&usuario=%G1".utf8))
        #expect(malformed.status == 400)
        #expect(try harness.browser().get("/secop/%FF").status == 404)
    }
}
