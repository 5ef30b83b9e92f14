/// Every event the audit log records, in one vocabulary for the three portals.
///
/// An entry is named `portal.event`: the portal column (`soi`, `secop`, `cajacopi`, or `clave`
/// for pages of no portal) and one of these events, e.g. `secop.reset.requested`. The `detail`
/// column adds ids, reasons and counts (`account=unknown`, `status=superseded`), never a
/// password, token, temporary password or reset URL. README lists them for staff.
public enum AuditEvent: String, Sendable, CaseIterable {
    // Sign-in (the shell's LoginService)
    /// A login succeeded (`password=current|temporary`).
    case loginSucceeded = "login.succeeded"
    /// A login failed (`reason=unknown-account|wrong-password`, `failures=N` consecutive ones of
    /// the account, `throttle=N` untrusted failures of the identifier in its window).
    case loginFailed = "login.failed"
    /// A login was refused because staff locked the account (`reason=locked`).
    case loginRefused = "login.refused"
    /// A login came while the identifier's throttle asked to wait: refused whatever the
    /// password, and counted (`reason=throttled`).
    case loginThrottled = "login.throttled"
    /// A user logged out.
    case logout = "logout"
    /// A stored hash was upgraded to the current cost at login.
    case passwordRehashed = "password.rehashed"

    // The shell's guards
    /// A POST without a valid CSRF token (`path=…`): refused with 403, nothing changed.
    case csrfRejected = "csrf.rejected"
    /// A rate limit was spent (`path=…`): answered 429.
    case rateLimited = "rate.limited"
    /// A form's fields were refused before anything was looked up (`fields=…`).
    case formInvalid = "form.invalid"

    // Recovery
    /// A reset was asked for (`account=found|unknown`); for a found account its email is in the
    /// outbox (SECOP and Cajacopi: a link; SOI: a temporary password).
    case resetRequested = "reset.requested"
    /// "Olvidé el usuario" was asked for (`accounts=N`).
    case usernameReminderRequested = "username.reminder_requested"
    /// A reset link was opened (a GET; `status=valid|expired|used|superseded|unknown`). No
    /// longer written: a GET writes nothing, so the opening is a log line ("reset link
    /// opened"). Kept so entries older than that still have their name.
    case resetLinkOpened = "reset.link_opened"
    /// A reset link was refused when used (`status=…`).
    case resetLinkRefused = "reset.link_refused"
    /// SOI: the emailed temporary password was used to log in.
    case temporaryPasswordUsed = "temporary_password.used"
    /// SOI: a temporary password matched but had been used or replaced in between.
    case temporaryPasswordStale = "temporary_password.stale"
    /// Cajacopi: a captcha answer was refused (`result=wrong|expired|unknown`).
    case captchaRefused = "captcha.refused"
    /// Cajacopi: "Refrescar" drew a new captcha.
    case captchaRefreshed = "captcha.refreshed"

    // Password changes
    /// A new password was refused (`rules=…`, or `current=wrong` for SOI's Clave Actual).
    case passwordRefused = "password.refused"
    /// The password changed (`via=reset_link|change_form`); sessions and links dropped.
    case passwordChanged = "password.changed"
}
