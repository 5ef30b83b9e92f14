import UserStore

/// Why a SECOP II form was refused before anything was looked up: the same for every account.
public enum SECOPInputProblem: Sendable, Equatable {
    /// No user name, or an impossibly long one.
    case invalidUsername
    /// Not an email address.
    case invalidEmail
    /// A control or invisible character in the field (``ControlCharacters``).
    case controlCharacter
}

/// What opening or using a change link found.
public enum SECOPLinkState: Sendable, Equatable {
    /// The link works; the page shows this user name.
    case valid(username: String)
    /// The link does not work, and why (the page words each case).
    case unusable(ResetTokenStatus)
}

/// The result of a POST on the change page.
public enum SECOPChangeOutcome: Sendable, Equatable {
    /// The password was changed; the user must now log in with it.
    case changed(username: String)
    /// The new password broke these rules; the link still works.
    case refused(username: String, problems: [SECOPPasswordProblem])
    /// The link no longer works (or never did); nothing changed.
    case unusableLink(ResetTokenStatus)
}

/// Why a SECOP II step failed in a way the page reports (store and template failures are
/// thrown as their own errors and become the shell's error page).
public enum SECOPRecoveryError: Error, Sendable, Equatable {
    /// The form's input is unusable, whatever the account.
    case input(SECOPInputProblem)
}
