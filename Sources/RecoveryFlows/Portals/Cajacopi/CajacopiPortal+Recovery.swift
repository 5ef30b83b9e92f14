import ClaveCrypto
import ClaveLog
import Foundation
import HTTPCore

extension CajacopiPortal {
    /// Cajacopi's recovery routes (`/cajacopi/restablecer`, the captcha, `/cajacopi/nueva-contrasena`
    /// and, in development mode, `/_dev/captcha/{id}`), built once from the shell's context.
    ///
    /// The flow keeps its own CSRF guard (a signed double-submit cookie) rather than the shell's
    /// session-bound one: it was written before the shell landed and needs no session row for an
    /// anonymous visitor. The shell's security headers still wrap every response.
    public static func registerRecovery(in routes: inout WebRoutes) {
        let context = routes.context
        let logger = Logger(label: "cajacopi")
        let common: CommonPasswordList?
        do {
            common = try CommonPasswordList.shared(resources: context.configuration.resources.path)
        } catch {
            // Refusing to start would take the other portals down too; say it loudly instead.
            logger.error("common-password list not loaded; the policy runs without it", ["error": "\(error)"])
            common = nil
        }
        let development = context.configuration.mode == .development
        let configuration = CajacopiRecoveryConfiguration(
            publicURL: context.configuration.publicURL.absoluteString,
            timing: context.uniformTiming,
            policy: PasswordPolicy(commonPasswords: common),
            captcha: CaptchaConfiguration(recordsAnswersForDevelopment: development))
        let flow = CajacopiRecovery(
            database: context.database, templates: context.templates, configuration: configuration,
            hasher: context.hasher, hashingPool: context.hashingPool,
            // Its own key, derived from the app's per-process secret (domain-separated).
            csrfKey: HMACSHA256.authenticate(Array("cajacopi-csrf-key".utf8), key: context.flashKey),
            secureCookies: context.configuration.isHTTPS,
            clock: { context.now }, wakeOutbox: context.wakeOutbox,
            clientAddress: { ClientAddress.of($0, trustedProxies: context.configuration.trustedProxies) })
        flow.register(in: &routes.router, development: development)
    }
}
