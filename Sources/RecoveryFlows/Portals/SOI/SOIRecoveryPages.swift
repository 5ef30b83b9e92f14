import Foundation
import HTTPCore
import Templates
import UserStore

/// The handlers behind SOI's recovery pages: they read the form, call `SOIRecovery`, and
/// render `Resources/templates/soi/olvido-clave*.html` and `soi/cambio-clave.html`.
enum SOIRecoveryPages {
    /// The flow over the app's database, templates, hasher and configured public URL.
    static func recovery(_ request: WebRequest) throws -> SOIRecovery {
        let context = request.context
        let configuration = SOIRecoveryConfiguration(publicURL: context.configuration.publicURL.absoluteString)
        return SOIRecovery(database: context.database, hasher: context.hasher, verifier: context.verifier,
                           mail: SOIRecoveryMail(composer: EmailComposer(templates: context.templates, senders: context.configuration.senders),
                                                 configuration: configuration),
                           rules: SOIPasswordRules(commonPasswords: context.commonPasswords), configuration: configuration,
                           rateLimiter: context.rateLimiter, mailEnqueued: context.wakeOutbox)
    }

    // MARK: ¿Olvidó su clave?

    /// The request form with `form`'s values and errors.
    static func forgotPage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        try request.page("soi/olvido-clave.html", title: "¿Olvidó su clave?", values: [
            "tipos_aportante": DocumentTypeOptions.values(DocumentTypeOptions.aportante,
                                                          selected: form.values["aportante_tipo"] ?? "NIT"),
            "tipos_usuario": DocumentTypeOptions.values(DocumentTypeOptions.person,
                                                        selected: form.values["usuario_tipo"] ?? "CC"),
        ], form: form, status: status)
    }

    /// `POST /soi/olvido-clave`: the same page, words and status whether or not the three
    /// values match a user, after the same work and the shell's timing floor.
    static func submitForgot(_ request: WebRequest) throws -> HTTPResponse {
        var form = FormState(keeping: SOIRecoveryRequest.fieldNames, from: request)
        let parsed: SOIRecoveryRequest
        switch SOIRecoveryRequest.parse({ request.form[$0] }) {
        case .failure(let errors):
            for error in errors.fields { form.fail(error.field, error.message) }
            form.formError = "Revise los campos marcados."
            request.audit("soi.recovery.invalid-form", detail: "campos=\(errors.fields.map(\.field).joined(separator: ","))")
            return try forgotPage(request, form: form, status: .unprocessableContent)
        case .success(let value):
            parsed = value
        }
        let recovery = try recovery(request)
        let now = request.context.now
        // Whatever the outcome, the page is the same; the audit log tells staff which it was.
        _ = try request.context.hashingPool.run {
            try recovery.requestTemporaryPassword(parsed, clientAddress: request.client, now: now)
        }
        return request.context.uniformTiming.padded(
            try request.page("soi/olvido-clave-enviado.html", title: "¿Olvidó su clave?"))
    }

    // MARK: Cambio de Clave

    /// The change form for the logged-in user (forced after a temporary password, or chosen).
    static func changePage(_ request: WebRequest, form: FormState, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let user = try request.requireUser(of: .soi)
        let rules = SOIPasswordRules(commonPasswords: request.context.commonPasswords)
        return try request.page("soi/cambio-clave.html", title: "Cambio de Clave", values: [
            "obligatorio": .bool(user.mustChangePassword),
            "reglas": .list(rules.requirements.map { .string($0) }),
        ], form: form, status: status)
    }

    /// `POST /soi/cambio-clave`: on success the other sessions and tokens are gone, the notice
    /// is enqueued, and the user goes on to the aportes home page with this session.
    static func submitChange(_ request: WebRequest) throws -> HTTPResponse {
        let user = try request.requireUser(of: .soi)
        var form = FormState()
        let current = request.rawField("clave_actual")
        let new = request.rawField("clave_nueva")
        let confirmation = request.rawField("clave_confirmacion")
        if current.isEmpty { form.fail("clave_actual", "Escriba su clave actual.") }
        if new.isEmpty { form.fail("clave_nueva", "Escriba la nueva clave.") }
        if confirmation.isEmpty { form.fail("clave_confirmacion", "Confirme la nueva clave.") }
        guard !form.hasErrors else {
            form.formError = "Revise los campos marcados."
            return try changePage(request, form: form, status: .unprocessableContent)
        }
        let recovery = try recovery(request)
        let now = request.context.now
        let session = request.session?.idHash
        let outcome = try request.context.hashingPool.run {
            try recovery.changePassword(userID: user.id, current: current, new: new, confirmation: confirmation,
                                        keepingSession: session, clientAddress: request.client, now: now)
        }
        switch outcome {
        case .changed:
            return request.redirect(to: "/soi/inicio", notice: FlashNotice(.success,
                "Su clave fue cambiada. Le enviamos un correo de confirmación."))
        case .refused(let problem):
            form.fail(problem.field, problem.message)
            form.formError = "No se cambió la clave. Revise los campos marcados."
            return try changePage(request, form: form, status: .unprocessableContent)
        }
    }
}
