import Foundation
import UserStore

/// One login attempt's place in the throttle (``LoginThrottlePolicy``): it is counted as a
/// failure **before** its password is checked, in the write transaction that read the
/// throttle, and refunded only if the password turns out right. So every failed guess is
/// counted, a burst of parallel guesses cannot slip in under one reading of the counter, and a
/// process killed mid-check has counted the guess. The body runs in
/// `Database.writeLockingRows`: the account's row and each key are locked in that order
/// (``count(in:policy:identifierKey:device:deviceServerKey:user:now:)``), never the reverse.
struct LoginAdmission {
    /// Whether the browser's device cookie is trusted for the account.
    var trusted: Bool
    /// Seconds the attempt had to wait when it came (zero: it may log in).
    var wait: TimeInterval
    /// The throttle key it was counted under.
    var key: String
    /// The state after counting it, for the answer's `Retry-After`.
    var counted: LoginThrottleState
    /// The account's consecutive failures after counting it (zero for an unknown account).
    var failures: Int

    /// Counts the attempt for `user` (nil when no account matched) under `identifierKey` or,
    /// when `device` is a browser trusted for the account, under the device's own key.
    static func count(in tx: WriteTransaction, policy: LoginThrottlePolicy, identifierKey: String, device: DeviceCookie?,
                      deviceServerKey: [UInt8], user: User?, now: Date) throws -> LoginAdmission {
        var failures = 0
        if let user { failures = try tx.users.recordFailedLogin(id: user.id, now: now).failedLogins }
        if let device, let user, device.userID == user.id {
            let key = device.throttleKey(serverKey: deviceServerKey)
            let state = try tx.loginThrottles.lockedState(key: key)
            if policy.trustsDevice(state, at: now) {
                let counted = policy.afterDeviceFailure(state, now: now)
                try tx.loginThrottles.save(counted, key: key, userID: user.id, now: now)
                return LoginAdmission(trusted: true, wait: 0, key: key, counted: counted, failures: failures)
            }
        }
        let state = try tx.loginThrottles.lockedState(key: identifierKey)
        let counted = policy.afterFailure(state, now: now)
        try tx.loginThrottles.save(counted, key: identifierKey, userID: user?.id, now: now)
        return LoginAdmission(trusted: false, wait: policy.wait(state, at: now), key: identifierKey, counted: counted,
                              failures: failures)
    }

    /// Seconds until the next attempt under this key may go ahead, after this one.
    func retryAfter(policy: LoginThrottlePolicy, now: Date) -> TimeInterval {
        trusted ? 0 : policy.wait(counted, at: now)
    }

    /// Takes the failure back after a right password: the owner's own login does not spend
    /// the budget. The wait this attempt set is lifted too; the window and the failures of
    /// others stay, so a stranger's daily bound does not start again when the owner logs in.
    func refund(in tx: WriteTransaction, userID: Int64, now: Date) throws {
        guard let state = try tx.loginThrottles.lockedState(key: key) else { return }
        let refunded = LoginThrottleState(failures: max(0, state.failures - 1), windowStartedAt: state.windowStartedAt,
                                          nextAttemptAt: min(state.nextAttemptAt, now))
        try tx.loginThrottles.save(refunded, key: key, userID: userID, now: now)
    }
}
