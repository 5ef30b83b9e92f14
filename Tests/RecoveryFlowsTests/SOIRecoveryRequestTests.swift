import RecoveryFlows
import Testing
import UserStore

/// Layer 1: the "¿Olvidó su clave?" form's five fields, fed from literals.
@Suite("SOI recovery request form")
struct SOIRecoveryRequestTests {
    @Test("A complete form is normalized: NIT check digit dropped, dots removed, email lower-cased")
    func normalizes() throws {
        let fields = ["aportante_tipo": "nit", "aportante_numero": " 900.123.456-8 ", "usuario_tipo": "CC",
                      "usuario_numero": "1.020.304.050", "correo": "  Contador@Example.COM "]
        let request = try SOIRecoveryRequest.parse { fields[$0] }.get()
        #expect(request.aportante == (try Document(parsing: "NIT:900123456")))
        #expect(request.usuario == (try Document(parsing: "CC:1020304050")))
        #expect(request.email == "contador@example.com")
        #expect(request.identifierKey == "soi:NIT:900123456:CC:1020304050")
    }

    @Test("An empty form refuses every field at once, in form order")
    func emptyForm() {
        guard case .failure(let errors) = SOIRecoveryRequest.parse({ _ in nil }) else {
            Issue.record("an empty form was accepted")
            return
        }
        #expect(errors.fields.map(\.field) == ["aportante_tipo", "usuario_tipo", "correo"])
        #expect(errors.message(for: "correo") == "Escriba su correo electrónico.")
    }

    @Test("Each malformed field is reported on its own field", arguments: [
        ("aportante_tipo", "XX", "Seleccione el tipo de documento."),
        ("aportante_numero", "", "Escriba el número de documento."),
        ("aportante_numero", "900123456-3", "El dígito de verificación del NIT no corresponde."),
        ("usuario_numero", "12", "El número de documento debe tener entre 3 y 15 dígitos, sin letras."),
        ("usuario_numero", "10203A", "El número de documento debe tener entre 3 y 15 dígitos, sin letras."),
        ("correo", "no-es-correo", "El correo electrónico no es válido."),
    ])
    func malformed(field: String, value: String, message: String) {
        let fields = SOIFixture.form([field: value])
        guard case .failure(let errors) = SOIRecoveryRequest.parse({ fields[$0] }) else {
            Issue.record("\(field)=\(value) was accepted")
            return
        }
        #expect(errors.fields.count == 1)
        let expectedField = field == "aportante_tipo" ? "aportante_tipo" : field
        #expect(errors.message(for: expectedField) == message)
    }
}
