import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// The login check the three portals share: the per-address limit, the throttle
/// (``LoginThrottlePolicy``, counted before the password is checked: ``LoginAdmission``),
/// equal-work password check, hash upgrade, device cookie, session rotation, audit.
///
/// Nothing a stranger does locks the owner out: the throttle slows untrusted clients only, a
/// browser the owner logged in with before gets through it, and a reset clears it. And nothing
/// in the answer tells accounts apart: an unknown account, a wrong password, a staff lock and
/// a right password refused while throttled all cost two scrypt verifications and read alike
/// (``genericFailure``, or ``throttledMessage(portal:retryAfter:)`` under the identifier's
/// throttle, which an unknown identifier has too).
enum LoginService {
    /// What the user reads after a failed login.
    static let genericFailure =
        "Los datos de ingreso no son correctos. Verifíquelos e intente de nuevo. Si no recuerda su contraseña, use la opción para recuperarla."

    /// What the user reads while the identifier's throttle asks to wait: what happened, how
    /// long, and the way through that needs no wait (the portal's own recovery link).
    static func throttledMessage(portal: Portal, retryAfter: TimeInterval) -> String {
        let wait = WaitDuration.spanish(retryAfter)
        let recovery = switch portal {
        case .soi: "su clave, use «¿Olvidó su clave?»"
        case .secop: "su contraseña, use «Olvidé la contraseña»"
        case .cajacopi: "tu contraseña, usa «Restablecer Contraseña»"
        }
        return "Demasiados intentos fallidos con estos datos: por seguridad, espere \(wait) antes de intentar de nuevo. "
            + "Si no recuerda \(recovery) y podrá ingresar de inmediato."
    }

    /// The login page's answer to a refused attempt: the form again with the outcome's message,
    /// 422, or 429 with `Retry-After` while the throttle runs. `page` renders the portal's form.
    static func refusal(_ outcome: Outcome, portal: Portal, form: FormState,
                        page: (FormState, HTTPStatus) throws -> HTTPResponse) throws -> HTTPResponse {
        var form = form
        guard case .throttled(let retryAfter) = outcome else {
            form.formError = genericFailure
            return try page(form, .unprocessableContent)
        }
        form.formError = throttledMessage(portal: portal, retryAfter: retryAfter)
        var response = try page(form, .tooManyRequests)
        response.headers["Retry-After"] = String(RateLimited(retryAfter: retryAfter).retryAfterSeconds)
        return response
    }

    /// The result of one attempt.
    enum Outcome: Equatable {
        /// Logged in (the session is rotated); `mustChange` when the password must be changed first.
        case success(User, mustChange: Bool)
        /// Wrong user, wrong password or a staff lock: show ``genericFailure``.
        case failure
        /// Refused unchecked-alike while the identifier's throttle runs: show
        /// ``throttledMessage(portal:retryAfter:)`` and answer 429 with `Retry-After`.
        case throttled(retryAfter: TimeInterval)
    }

    /// Checks `password` for `user` (nil when no account matched `identifier`) and logs in on
    /// success. `identifier` is the key the look-up used (``Identifier/key``, or a key built
    /// from normalized documents), so the throttle counts what was looked up. Throws
    /// ``RateLimited`` when the client address is over its limit.
    /// `useTemporaryPassword` is the portal's own step for a matching temporary password (SOI's
    /// ``SOIRecovery/useTemporaryPassword(userID:clientAddress:now:)``); without one, a
    /// temporary password is a wrong password.
    static func attempt(_ request: WebRequest, portal: Portal, identifier: String, user: User?, password: String,
                        useTemporaryPassword: ((User) throws -> Bool)? = nil) throws -> Outcome {
        try request.rateLimit(identifier: nil)
        let context = request.context
        let now = context.now
        let policy = context.configuration.login
        let identifierKey = context.rateLimiter.identifierKey(route: "\(portal.rawValue).login", identifier: identifier)
        let device = DeviceCookie.presented(in: request.http, portal: portal, key: context.deviceKey, now: now)
        let admission = try context.database.writeLockingRows { tx in
            try LoginAdmission.count(in: tx, policy: policy, identifierKey: identifierKey, device: device,
                                     deviceServerKey: context.deviceKey, user: user, now: now)
        }
        let match = try context.hashingPool.run { context.verifier.check(password, for: user, now: now) }
        let refused = Self.refused(admission: admission, user: user, now: now)
        // A temporary password goes through the throttle and a lock: only the registered email
        // received it, so it is SOI's reset, and a stranger's guesses must not keep the owner
        // out. So does a promoted one (logged in with before, change not finished, in time).
        let emailed = match == .temporary || (match == .current && user?.promotedPasswordDeadline != nil)
        if let user, match != .none, !refused || emailed {
            if match == .temporary {
                guard let useTemporaryPassword, try useTemporaryPassword(user) else {
                    return fail(request, admission: admission, user: user, reason: "wrong-password")
                }
                try finishLogin(request, user: user, portal: portal, admission: admission, password: .temporary)
                return .success(user, mustChange: true)
            }
            if context.hasher.needsRehash(user.passwordHash) {
                let upgraded = try context.hashingPool.run { try context.hasher.hash(password) }
                try context.database.write { tx in try tx.users.rehashPassword(id: user.id, newHash: upgraded, now: now) }
                request.audit(.passwordRehashed, userID: user.id)
            }
            try finishLogin(request, user: user, portal: portal, admission: admission, password: .current)
            return .success(user, mustChange: user.mustChangePassword)
        }
        // A right password refused (throttled, locked) stopped after one scrypt verification, a
        // wrong one paid two: it must cost what any failure costs, or the answer time tells a
        // stranger the password is right (measured by scripts/bench.d/login-timing.sh).
        if match == .current { try context.hashingPool.run { context.verifier.payLikeAFailure(password) } }
        return fail(request, admission: admission, user: user, reason: failureReason(admission: admission, user: user, now: now))
    }

    /// Whether the attempt is refused whatever its password: it came while the throttle ran,
    /// or staff locked the account (`clave users lock`).
    private static func refused(admission: LoginAdmission, user: User?, now: Date) -> Bool {
        admission.wait > 0 || (user?.isLocked(at: now) ?? false)
    }

    /// The audit's word for a failure.
    private static func failureReason(admission: LoginAdmission, user: User?, now: Date) -> String {
        guard let user else { return "unknown-account" }
        if admission.wait > 0 { return "throttled" }
        return user.isLocked(at: now) ? "locked" : "wrong-password"
    }

    /// The answer to a failure, already counted by the admission; audited with its reason.
    private static func fail(_ request: WebRequest, admission: LoginAdmission, user: User?, reason: String) -> Outcome {
        let now = request.context.now
        let policy = request.context.configuration.login
        var detail = "reason=\(reason)"
        if user != nil { detail += " failures=\(admission.failures)" }
        if !admission.trusted { detail += " throttle=\(admission.counted.failures)" }
        let event: AuditEvent = switch reason {
        case "throttled": .loginThrottled
        case "locked": .loginRefused
        default: .loginFailed
        }
        request.audit(event, userID: user?.id, detail: detail)
        // The answer depends only on the identifier's throttle, which an unknown identifier has
        // too: it never says whether the account exists.
        guard admission.wait > 0 else { return .failure }
        return .throttled(retryAfter: admission.retryAfter(policy: policy, now: now))
    }

    /// Logs `user` in with the `password` that matched (`.current` or `.temporary`).
    private static func finishLogin(_ request: WebRequest, user: User, portal: Portal, admission: LoginAdmission,
                                    password: PasswordMatch) throws {
        let context = request.context
        let now = context.now
        // Also drops a pending temporary password when the current one was used: the owner
        // knows it (`recordSuccessfulLogin`). The account's row before the throttle key, the
        // order an admission locks them in, so the two never wait for each other.
        try context.database.writeLockingRows { tx in
            if password == .current { try tx.users.recordSuccessfulLogin(id: user.id, now: now) }
            try admission.refund(in: tx, userID: user.id, now: now)
        }
        try request.logIn(user, portal: portal)
        let device = try DeviceCookie.issue(portal: portal, userID: user.id, lifetime: context.configuration.login.deviceLifetime, now: now)
        request.outgoingCookies.append(device.setting(key: context.deviceKey, secure: context.configuration.isHTTPS, now: now))
        let detail = password == .temporary ? "password=temporary" : "password=current"
        request.audit(.loginSucceeded, userID: user.id, detail: detail + (admission.trusted ? " device=trusted" : ""))
    }
}
