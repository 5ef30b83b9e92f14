/// The CaptchaImage module. See shared/DESIGN.md (Modules) for what it owns.
public enum CaptchaImageModule {
    /// The module's name, for diagnostics.
    public static let name = "CaptchaImage"
}
