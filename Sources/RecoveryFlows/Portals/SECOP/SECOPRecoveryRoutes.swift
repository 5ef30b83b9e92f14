import ClaveCrypto
import Foundation
import HTTPCore

/// SECOP II's recovery routes (DESIGN.md, Routes): "Olvidé la contraseña", "Olvidé el usuario"
/// and the emailed link's change page. Login, home and logout are the shell's.
///
/// Every POST checks CSRF, then the rate limits (per client address and per submitted
/// identifier), then does its step. A page carrying a token sends `Referrer-Policy:
/// no-referrer` so the link never leaks through the Referer header.
public enum SECOPRecoveryRoutes {
    /// Rate-limit action names, one per step.
    public enum Action {
        /// "Olvidé la contraseña" submissions, keyed by user name.
        public static let passwordReset = "secop.reset"
        /// "Olvidé el usuario" submissions, keyed by address.
        public static let usernameReminder = "secop.reminder"
        /// Link openings and redemptions, keyed by the token's hash.
        public static let link = "secop.link"
    }

    /// Adds the routes to `router`.
    public static func register(on router: inout Router, pages: SECOPRecoveryPages, services: SECOPWebServices) {
        router.get(SECOPRoutes.forgotPassword) { request in
            try services.render(request, pages.forgotPasswordForm())
        }
        router.post(SECOPRoutes.forgotPassword) { request in
            try guarded(request, services: services, action: Action.passwordReset, identifier: { normalized($0["usuario"]) }) { form in
                try services.timingFloor {
                    try services.render(request, pages.forgotPassword(form: form, clientAddress: request.remoteAddress))
                }
            }
        }
        router.get(SECOPRoutes.forgotUsername) { request in
            try services.render(request, pages.forgotUsernameForm())
        }
        router.post(SECOPRoutes.forgotUsername) { request in
            try guarded(request, services: services, action: Action.usernameReminder, identifier: { normalized($0["correo"]) }) { form in
                try services.timingFloor {
                    try services.render(request, pages.forgotUsername(form: form, clientAddress: request.remoteAddress))
                }
            }
        }
        router.get(SECOPRoutes.changePassword) { request in
            let query = request.queryItems
            guard services.allow(request, Action.link, tokenKey(query["token"])) else {
                return services.refuse(request, .tooManyRequests, tooMany)
            }
            return noReferrer(try page(request, pages.changeForm(query: query, clientAddress: request.remoteAddress), services))
        }
        router.post(SECOPRoutes.changePassword) { request in
            noReferrer(try guarded(request, services: services, action: Action.link, identifier: { tokenKey($0["token"]) }) { form in
                try page(request, pages.change(form: form, clientAddress: request.remoteAddress), services)
            })
        }
    }

    static let tooMany = "Demasiados intentos. Espere unos minutos antes de volver a intentarlo."

    /// Decodes the form, checks CSRF and the rate limits, then runs `body`.
    static func guarded(_ request: HTTPRequest, services: SECOPWebServices, action: String,
                        identifier: (FormData) -> String, body: (FormData) throws -> HTTPResponse) throws -> HTTPResponse {
        let form: FormData
        do {
            form = try request.form()
        } catch {
            return services.refuse(request, .badRequest, "No pudimos leer el formulario. Vuelva a la página e inténtelo de nuevo.")
        }
        guard services.csrfIsValid(request, form) else {
            return services.refuse(request, .forbidden,
                                   "El formulario venció o no vino de esta página. Vuelva a cargar la página e inténtelo de nuevo.")
        }
        guard services.allow(request, action, identifier(form)) else {
            return services.refuse(request, .tooManyRequests, tooMany)
        }
        return try body(form)
    }

    /// Renders `page`, marking token pages.
    static func page(_ request: HTTPRequest, _ page: SECOPPage, _ services: SECOPWebServices) throws -> HTTPResponse {
        let response = try services.render(request, page)
        return page.carriesToken ? noReferrer(response) : response
    }

    /// Adds `Referrer-Policy: no-referrer` (a page whose URL or form holds a token).
    static func noReferrer(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.replace("Referrer-Policy", "no-referrer")
        return response
    }

    /// A rate-limit key for a submitted identifier: trimmed, lower-cased, bounded.
    static func normalized(_ value: String?) -> String {
        String((value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased().prefix(254))
    }

    /// A token's rate-limit key: its hash, so the limits table never holds a usable token.
    static func tokenKey(_ token: String?) -> String {
        SHA256.hex(String((token ?? "").prefix(256)))
    }
}
