import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// SECOP II's recovery routes (DESIGN.md, Routes): "Olvidé la contraseña", "Olvidé el usuario"
/// and the emailed link's change page. Login, home and logout are the shell's.
///
/// The shell checks CSRF on every POST before these run; each POST then counts against the
/// rate limits (per client address and per submitted identifier, existing or not), does its
/// step, and the request pages pad their answer to the shell's timing floor. A page carrying
/// a token sends `Referrer-Policy: no-referrer`.
extension SECOPPortal {
    /// Rate-limit route names (``RateLimitPolicy`` keys).
    public enum RecoveryLimit {
        /// "Olvidé la contraseña", per user name.
        public static let forgotPassword = "secop.forgot-password"
        /// "Olvidé el usuario", per address.
        public static let forgotUsername = "secop.forgot-username"
        /// Opening and using a link, per token hash.
        public static let changePassword = "secop.change-password"
    }

    /// Adds the recovery routes (called by ``PortalModule/register(in:)``).
    public static func registerRecovery(in routes: inout WebRoutes) {
        let context = routes.context
        let pages: SECOPRecoveryPages
        do {
            pages = SECOPRecoveryPages(recovery: try SECOPRecovery(context: context))
        } catch {
            // Without the common-password list the policy would be weaker: answer 503, never
            // a silently weaker change page.
            context.logger.error("secop recovery unavailable", ["error": "\(error)"])
            for path in [SECOPRoutes.forgotPassword, SECOPRoutes.forgotUsername, SECOPRoutes.changePassword] {
                routes.get(path) { _ in throw HTTPError(.serviceUnavailable) }
                routes.post(path) { _ in throw HTTPError(.serviceUnavailable) }
            }
            return
        }

        routes.get(SECOPRoutes.forgotPassword) { request in try render(request, pages.forgotPasswordForm()) }
        routes.post(SECOPRoutes.forgotPassword) { request in
            try request.rateLimit(RecoveryLimit.forgotPassword, identifier: request.field("usuario").lowercased())
            let page = try pages.forgotPassword(form: request.form, clientAddress: request.client)
            return context.uniformTiming.padded(try render(request, page))
        }

        routes.get(SECOPRoutes.forgotUsername) { request in try render(request, pages.forgotUsernameForm()) }
        routes.post(SECOPRoutes.forgotUsername) { request in
            try request.rateLimit(RecoveryLimit.forgotUsername, identifier: request.field("correo").lowercased())
            let page = try pages.forgotUsername(form: request.form, clientAddress: request.client)
            return context.uniformTiming.padded(try render(request, page))
        }

        routes.get(SECOPRoutes.changePassword) { request in
            try request.rateLimit(RecoveryLimit.changePassword, identifier: tokenKey(request.query["token"]))
            return try render(request, pages.changeForm(query: request.query, clientAddress: request.client), noReferrer: true)
        }
        routes.post(SECOPRoutes.changePassword) { request in
            try request.rateLimit(RecoveryLimit.changePassword, identifier: tokenKey(request.form["token"]))
            return try render(request, pages.change(form: request.form, clientAddress: request.client), noReferrer: true)
        }
    }

    /// Renders `page` in the shell's layout, with `no-referrer` when it carries a token or
    /// answers a request that did (every answer of the link's route).
    static func render(_ request: WebRequest, _ page: SECOPPage, noReferrer: Bool = false) throws -> HTTPResponse {
        let response = try request.page(page.template + ".html", title: page.title, values: page.context, status: page.status)
        return page.carriesToken || noReferrer ? response.noReferrer() : response
    }

    /// A token's rate-limit key: its hash, so the limits table never holds a usable token.
    static func tokenKey(_ token: String?) -> String {
        SHA256.hex(String((token ?? "").prefix(256)))
    }
}
