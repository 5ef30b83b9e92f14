/// The RecoveryFlows module. See shared/DESIGN.md (Modules) for what it owns.
public enum RecoveryFlowsModule {
    /// The module's name, for diagnostics.
    public static let name = "RecoveryFlows"
}
