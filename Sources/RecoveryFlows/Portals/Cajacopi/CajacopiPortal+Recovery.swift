import Foundation
import HTTPCore

extension CajacopiPortal {
    /// Rate-limit route names (``RateLimitPolicy`` keys; their defaults are
    /// ``RateLimitPolicy/cajacopiRecoveryDefaults``).
    public enum RecoveryLimit {
        /// "Enviar Solicitud", per client address and per submitted email (existing or not).
        public static let forgotPassword = "cajacopi.forgot-password"
        /// Drawing a captcha (request page views and "Refrescar"), per client address.
        public static let captcha = "cajacopi.captcha"
        /// Opening and using a link (GET and POST of the new-password page), per client address.
        public static let changePassword = "cajacopi.change-password"
    }

    /// Cajacopi's recovery routes (`/cajacopi/restablecer`, the captcha, `/cajacopi/nueva-contrasena`
    /// and, in development mode, `/_dev/captcha/{id}`), added through the shell's ``WebRoutes``
    /// (called by ``PortalModule/register(in:)``): the shell checks CSRF on every POST before
    /// the flow runs, and the flow counts its attempts with the shell's ``RateLimiter``.
    public static func registerRecovery(in routes: inout WebRoutes) {
        let context = routes.context
        recovery(context: context).register(in: &routes, development: context.configuration.mode == .development)
    }

    /// The flow built from the shell's context: its public URL, timing floor, database,
    /// templates, hashing, clock and outbox wake-up. In development mode the captcha records
    /// its answers for `/_dev/captcha/{id}`.
    public static func recovery(context: AppContext) -> CajacopiRecovery {
        let configuration = CajacopiRecoveryConfiguration(
            publicURL: context.configuration.publicURL.absoluteString,
            sender: context.configuration.senders.cajacopi,
            timing: context.uniformTiming,
            policy: PasswordPolicy(commonPasswords: context.commonPasswords),
            captcha: CaptchaConfiguration(recordsAnswersForDevelopment: context.configuration.mode == .development))
        return CajacopiRecovery(
            database: context.database, templates: context.templates, configuration: configuration,
            hasher: context.hasher, hashingPool: context.hashingPool,
            clock: { context.now }, wakeOutbox: context.wakeOutbox)
    }
}
