import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// SECOP II's route table (DESIGN.md, Routes): login, home and logout, "Olvidé la contraseña",
/// "Olvidé el usuario" and the emailed link's change page.
///
/// The shell checks CSRF on every POST before these run; each POST spends its route's rate
/// limit (per client address and per submitted identifier, existing or not; the requests spend
/// it through their step, with the ``Identifier`` the step looks up), does its step,
/// and the request pages pad their answer to the shell's timing floor. A page carrying a token
/// sends `Referrer-Policy: no-referrer`.
extension SECOPPortal {
    /// Rate-limit route names (``RateLimitPolicy`` keys).
    public enum RecoveryLimit {
        /// Login, per address and user name.
        public static let login = "secop.login"
        /// "Olvidé la contraseña", per user name.
        public static let forgotPassword = "secop.forgot-password"
        /// "Olvidé el usuario", per address.
        public static let forgotUsername = "secop.forgot-username"
        /// Opening a link (a GET), per address only: mail scanners open links, and their
        /// prefetches must not spend the link's own budget.
        public static let openLink = "secop.open-link"
        /// Using a link (the POST), per address and per token hash.
        public static let changePassword = "secop.change-password"
    }

    /// Every SECOP II route.
    public static func routes(in context: AppContext) -> RouteTable {
        let pages = SECOPRecoveryPages(recovery: SECOPRecovery(context: context))
        return RouteTable("secop", [
            .page(SECOPRoutes.login) { request in try loginPage(request, form: FormState()) },
            .form(SECOPRoutes.login, limit: RecoveryLimit.login) { request in try SECOPLogin.submit(request) },
        ] + PortalSession.routes(theme, template: "secop/inicio.html", title: "Inicio: SECOP II") + [
            .page(SECOPRoutes.forgotPassword) { request in try request.render(pages.forgotPasswordForm()) },
            .form(SECOPRoutes.forgotPassword, limit: RecoveryLimit.forgotPassword) { request in
                let page = try pages.forgotPassword(form: request.form, clientAddress: request.client) { username in
                    try request.rateLimit(identifier: username)
                }
                return context.uniformTiming.padded(try request.render(page))
            },
            .page(SECOPRoutes.forgotUsername) { request in try request.render(pages.forgotUsernameForm()) },
            .form(SECOPRoutes.forgotUsername, limit: RecoveryLimit.forgotUsername) { request in
                let page = try pages.forgotUsername(form: request.form, clientAddress: request.client) { email in
                    try request.rateLimit(identifier: email)
                }
                return context.uniformTiming.padded(try request.render(page))
            },
            .page(SECOPRoutes.changePassword, limit: RecoveryLimit.openLink) { request in
                try request.rateLimit(identifier: nil)
                return try request.render(pages.changeForm(query: request.query, clientAddress: request.client), noReferrer: true)
            },
            .form(SECOPRoutes.changePassword, limit: RecoveryLimit.changePassword) { request in
                try request.rateLimit(identifier: tokenKey(request.form["token"]))
                return try request.render(pages.change(form: request.form, clientAddress: request.client), noReferrer: true)
            },
        ])
    }

    /// A token's rate-limit key: its hash, so the limits table never holds a usable token.
    static func tokenKey(_ token: String?) -> String {
        SHA256.hex(String((token ?? "").prefix(256)))
    }
}
