/// The Mailer module. See shared/DESIGN.md (Modules) for what it owns.
public enum MailerModule {
    /// The module's name, for diagnostics.
    public static let name = "Mailer"
}
