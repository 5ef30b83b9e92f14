/// The Templates module. See shared/DESIGN.md (Modules) for what it owns.
public enum TemplatesModule {
    /// The module's name, for diagnostics.
    public static let name = "Templates"
}
