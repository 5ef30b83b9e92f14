import Foundation
import HTTPCore
import Templates
import UserStore

/// Turns SOI's recovery outcomes into pages (`Resources/templates/soi/olvido-clave*.html`,
/// `soi/cambio-clave.html`), without a server.
///
/// The request's answer is one page, word for word and status for status, whether or not the
/// three values matched a user: only whether the form was usable changes it.
public struct SOIRecoveryPages: Sendable {
    /// The rules the change page lists.
    public let rules: SOIPasswordRules

    /// Pages listing `rules`.
    public init(rules: SOIPasswordRules) { self.rules = rules }

    /// "¿Olvidó su clave?" with `form`'s values and errors.
    public func forgotForm(_ form: FormState = FormState(), status: HTTPStatus = .ok) -> PortalPage {
        PortalPage(status: status, template: "soi/olvido-clave", title: "¿Olvidó su clave?", context: [
            "tipos_aportante": DocumentTypeOptions.values(DocumentTypeOptions.aportante,
                                                          selected: form.values["aportante_tipo"] ?? "NIT"),
            "tipos_usuario": DocumentTypeOptions.values(DocumentTypeOptions.person,
                                                        selected: form.values["usuario_tipo"] ?? "CC"),
        ], form: form.showing(SOIRecoveryRequest.fieldNames))
    }

    /// The form again after `errors`, with the typed values (never a secret) kept.
    public func forgotRefused(_ errors: SOIFormErrors, typed: [String: String]) -> PortalPage {
        var form = FormState(values: typed)
        for error in errors.fields { form.fail(error.field, error.message) }
        form.formError = "Revise los campos marcados."
        return forgotForm(form, status: .unprocessableContent)
    }

    /// The answer to every usable request, matched or not.
    public func forgotSent() -> PortalPage {
        PortalPage(template: "soi/olvido-clave-enviado", title: "Solicitud recibida: ¿Olvidó su clave?")
    }

    /// "Cambio de Clave" (forced after a temporary password when `mustChange`).
    public func changeForm(mustChange: Bool, form: FormState = FormState(), status: HTTPStatus = .ok) -> PortalPage {
        PortalPage(status: status, template: "soi/cambio-clave", title: "Cambio de Clave", context: [
            "obligatorio": .bool(mustChange),
            "reglas": .list(rules.requirements.map { .string($0) }),
        ], form: form)
    }

    /// The change form again after a refused field.
    public func changeRefused(mustChange: Bool, _ errors: [SOIFieldError], formError: String) -> PortalPage {
        var form = FormState()
        for error in errors { form.fail(error.field, error.message) }
        form.formError = formError
        return changeForm(mustChange: mustChange, form: form, status: .unprocessableContent)
    }
}
