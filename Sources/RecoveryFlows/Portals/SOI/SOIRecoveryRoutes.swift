import Foundation
import HTTPCore
import UserStore

/// SOI's route table (DESIGN.md, Routes): login, home and logout, "¿Olvidó su clave?" and
/// "Cambio de Clave". The shell checks CSRF on every POST before these run; each handler reads
/// the form, spends its route's limit through the step, and renders the step's page.
extension SOIPortal {
    /// Login's rate limit, per address and per Empresa/Usuario pair.
    public static let loginLimit = "soi.login"

    /// Every SOI route.
    public static func routes(in context: AppContext) -> RouteTable {
        let recovery = SOIRecovery(context: context)
        let pages = SOIRecoveryPages(rules: recovery.rules)
        return RouteTable("soi", [
            .page("/soi/ingreso") { request in try loginPage(request, form: FormState()) },
            .form("/soi/ingreso", limit: loginLimit) { request in try SOILogin.submit(request, recovery: recovery) },
        ] + PortalSession.routes(theme, template: "soi/inicio.html", title: "Inicio: liquidación de aportes") + [
            .page("/soi/olvido-clave") { request in try request.render(pages.forgotForm()) },
            .form("/soi/olvido-clave", limit: SOIRecovery.requestRoute) { request in
                let typed = Dictionary(uniqueKeysWithValues: SOIRecoveryRequest.fieldNames.map { ($0, FormState.visible(request.field($0))) })
                switch SOIRecoveryRequest.parse({ request.form[$0] }) {
                case .failure(let errors):
                    request.audit(.formInvalid, detail: "fields=\(errors.fields.map(\.field).joined(separator: ","))")
                    return try request.render(pages.forgotRefused(errors, typed: typed))
                case .success(let parsed):
                    // Whatever the outcome, the page is the same; the audit log tells staff which it was.
                    _ = try recovery.requestTemporaryPassword(parsed, clientAddress: request.client, now: context.now) {
                        try request.rateLimit(identifier: parsed.identifierKey)
                    }
                    return context.uniformTiming.padded(try request.render(pages.forgotSent()))
                }
            },
            .page("/soi/cambio-clave") { request in
                let user = try request.requireUser(of: .soi)
                return try request.render(pages.changeForm(mustChange: user.mustChangePassword))
            },
            .form("/soi/cambio-clave", limit: SOIRecovery.changeRoute) { request in
                try submitChange(request, recovery: recovery, pages: pages)
            },
        ])
    }

    /// `POST /soi/cambio-clave`: on success the other sessions and tokens are gone, the notice
    /// is enqueued, this session is rotated to a new id, and the user goes on to the aportes
    /// home page.
    static func submitChange(_ request: WebRequest, recovery: SOIRecovery, pages: SOIRecoveryPages) throws -> HTTPResponse {
        let user = try request.requireUser(of: .soi)
        let current = request.rawField("clave_actual")
        let new = request.rawField("clave_nueva")
        let confirmation = request.rawField("clave_confirmacion")
        let missing = [("clave_actual", current, "Escriba su clave actual."), ("clave_nueva", new, "Escriba la nueva clave."),
                       ("clave_confirmacion", confirmation, "Confirme la nueva clave.")]
            .filter { $0.1.isEmpty }.map { SOIFieldError(field: $0.0, message: $0.2) }
        guard missing.isEmpty else {
            return try request.render(pages.changeRefused(mustChange: user.mustChangePassword, missing,
                                                          formError: "Revise los campos marcados."))
        }
        let outcome = try recovery.changePassword(userID: user.id, current: current, new: new, confirmation: confirmation,
                                                  keepingSession: request.session?.idHash, clientAddress: request.client,
                                                  now: request.context.now) {
            try request.rateLimit(identifier: "user:\(user.id)")
        }
        switch outcome {
        case .changed:
            // A change of privilege (from "must change" or from the old clave): a new session id
            // and CSRF secret, the old id no longer valid, as at login.
            try request.logIn(user, portal: .soi)
            return request.redirect(to: "/soi/inicio", notice: FlashNotice(.success,
                "Su clave fue cambiada. Le enviamos un correo de confirmación."))
        case .refused(let problem):
            return try request.render(pages.changeRefused(mustChange: user.mustChangePassword, [problem],
                                                          formError: "No se cambió la clave. Revise los campos marcados."))
        }
    }
}

extension SOIRecovery {
    /// The steps over the shell's context: its store, hashing pool, templates, senders, public
    /// URL, temporary password lifetime (`--soi-temporary-minutes`), common-password list, clock
    /// and outbox wake-up.
    init(context: AppContext) {
        let configuration = SOIRecoveryConfiguration(temporaryPasswordLifetime: context.configuration.soiTemporaryPasswordLifetime,
                                                     publicURL: context.configuration.publicURL.absoluteString)
        self.init(database: context.database, hasher: context.hasher, verifier: context.verifier,
                  hashingPool: context.hashingPool,
                  mail: SOIRecoveryMail(composer: EmailComposer(templates: context.templates, senders: context.configuration.senders),
                                        configuration: configuration),
                  rules: SOIPasswordRules(commonPasswords: context.commonPasswords), configuration: configuration,
                  clock: context.clock, mailEnqueued: context.wakeOutbox)
    }
}
