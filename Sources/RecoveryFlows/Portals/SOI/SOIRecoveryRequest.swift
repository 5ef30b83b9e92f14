import Foundation
import UserStore

/// A field of SOI's forms that was refused, with the Spanish words the page shows next to it.
public struct SOIFieldError: Error, Sendable, Equatable {
    /// The form field's name (`aportante_numero`, `clave_nueva`, ...).
    public var field: String
    /// What the user reads.
    public var message: String

    /// Creates an error for `field`.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The "¿Olvidó su clave?" form once its five fields are checked: who asks (Aportante and
/// Usuario documents) and the email they claim. Form names are DESIGN.md's contract.
public struct SOIRecoveryRequest: Sendable, Equatable {
    /// The company's document (`aportante_tipo` + `aportante_numero`).
    public var aportante: Document
    /// The user's own document (`usuario_tipo` + `usuario_numero`).
    public var usuario: Document
    /// The email typed (`correo`), trimmed and lower-cased for comparison.
    public var email: String

    /// The field names, in the order the page shows them.
    public static let fieldNames = ["aportante_tipo", "aportante_numero", "usuario_tipo", "usuario_numero", "correo"]

    /// Creates a request from checked values.
    public init(aportante: Document, usuario: Document, email: String) {
        self.aportante = aportante
        self.usuario = usuario
        self.email = email
    }

    /// Reads and checks the five fields; `value` returns a field's submitted text (nil when
    /// missing). Every refused field is reported at once, so the page can mark them all.
    /// The checks are about shape only: whether the data belongs to someone is never said.
    public static func parse(_ value: (String) -> String?) -> Result<SOIRecoveryRequest, SOIFormErrors> {
        var errors: [SOIFieldError] = []
        let aportante = document(value, type: "aportante_tipo", number: "aportante_numero", errors: &errors)
        let usuario = document(value, type: "usuario_tipo", number: "usuario_numero", errors: &errors)
        var normalized: String?
        switch identifier(value("correo"), field: "correo", missing: "Escriba su correo electrónico.", errors: &errors) {
        case .some(let email):
            if let address = EmailAddress(email.value) {
                normalized = address.value.lowercased()
            } else {
                errors.append(SOIFieldError(field: "correo", message: "El correo electrónico no es válido."))
            }
        case .none: break
        }
        guard errors.isEmpty, let aportante, let usuario, let normalized else { return .failure(SOIFormErrors(errors)) }
        return .success(SOIRecoveryRequest(aportante: aportante, usuario: usuario, email: normalized))
    }

    /// The rate-limit key of the submitted identity, whether or not it exists (DESIGN.md:
    /// limits per submitted identifier leak nothing).
    public var identifierKey: String { "soi:\(aportante):\(usuario)" }

    /// The field's text as an ``Identifier`` (NFKC, trimmed), or nil with its error: `missing`
    /// when empty, ``FormState/controlCharacterMessage`` for a control character.
    static func identifier(_ text: String?, field: String, missing: String, errors: inout [SOIFieldError]) -> Identifier? {
        do {
            return try Identifier(text ?? "")
        } catch {
            let message = error == .empty ? missing : FormState.controlCharacterMessage
            errors.append(SOIFieldError(field: field, message: message))
        }
        return nil
    }

    static func document(_ value: (String) -> String?, type typeField: String, number numberField: String,
                         errors: inout [SOIFieldError]) -> Document? {
        let code = (value(typeField) ?? "").trimmingCharacters(in: .whitespaces)
        guard let type = DocumentType(code: code) else {
            errors.append(SOIFieldError(field: typeField, message: "Seleccione el tipo de documento."))
            return nil
        }
        guard let number = identifier(value(numberField), field: numberField, missing: "Escriba el número de documento.",
                                      errors: &errors) else { return nil }
        do {
            return try Document(type: type, number: number.value)
        } catch .wrongCheckDigit {
            errors.append(SOIFieldError(field: numberField, message: "El dígito de verificación del NIT no corresponde."))
        } catch {
            errors.append(SOIFieldError(field: numberField,
                                        message: "El número de documento debe tener entre 3 y 15 dígitos, sin letras."))
        }
        return nil
    }
}

/// Every refused field of one submission.
public struct SOIFormErrors: Error, Sendable, Equatable {
    /// The refused fields, in form order.
    public var fields: [SOIFieldError]

    /// Wraps `fields`.
    public init(_ fields: [SOIFieldError]) { self.fields = fields }

    /// The message for `field`, if it was refused.
    public func message(for field: String) -> String? { fields.first { $0.field == field }?.message }
}
