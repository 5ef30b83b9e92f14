import Foundation
import HTTPCore
@testable import RecoveryFlows
import Templates
import Testing
import TestSupport
import UserStore

/// SOI's outcome → page layer, without a server.
@Suite struct SOIRecoveryPagesTests {
    let pages = SOIRecoveryPages(rules: SOIPasswordRules())

    @Test("every usable request gets one page, matched or not, that echoes nothing typed")
    func sentIsOnePage() {
        let page = pages.forgotSent()
        #expect(page.template == "soi/olvido-clave-enviado")
        #expect(page.status == .ok)
        #expect(page.context.isEmpty && page.form == FormState())
    }

    @Test("a refused form marks each field, keeps what was typed, 422")
    func refusedForm() {
        let errors = SOIFormErrors([SOIFieldError(field: "aportante_numero", message: "El dígito de verificación del NIT no corresponde."),
                                    SOIFieldError(field: "correo", message: "El correo electrónico no es válido.")])
        let page = pages.forgotRefused(errors, typed: ["aportante_tipo": "NIT", "aportante_numero": "900123456-7", "correo": "x"])
        #expect(page.status == .unprocessableContent)
        #expect(page.form.errors == ["aportante_numero": "El dígito de verificación del NIT no corresponde.",
                                     "correo": "El correo electrónico no es válido."])
        #expect(page.form.values["aportante_numero"] == "900123456-7")
        #expect(page.form.formError == "Revise los campos marcados.")
        guard case .list(let types) = page.context["tipos_aportante"] else {
            Issue.record("no document types")
            return
        }
        #expect(types.contains(.dictionary(["codigo": "NIT", "nombre": .string(DocumentType.nit.fullName), "elegido": true])))
    }

    @Test("Cambio de Clave lists its rules and says when the change is forced")
    func changeForm() {
        let forced = pages.changeForm(mustChange: true)
        #expect(forced.context["obligatorio"] == true)
        #expect(pages.changeForm(mustChange: false).context["obligatorio"] == false)
        #expect(forced.context["reglas"] == .list(SOIPasswordRules().requirements.map { .string($0) }))
        let refused = pages.changeRefused(mustChange: false, [SOIFieldError(field: "clave_actual", message: "La clave actual no es correcta.")],
                                          formError: "No se cambió la clave. Revise los campos marcados.")
        #expect(refused.status == .unprocessableContent)
        #expect(refused.form.errors["clave_actual"] == "La clave actual no es correcta.")
        #expect(refused.template == "soi/cambio-clave")
    }
}
