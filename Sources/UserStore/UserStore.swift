/// The UserStore module. See shared/DESIGN.md (Modules) for what it owns.
public enum UserStoreModule {
    /// The module's name, for diagnostics.
    public static let name = "UserStore"
}
