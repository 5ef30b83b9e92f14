import UserStore

/// One portal: its theme and its route table. `ClaveApp` asks each portal for its table once
/// at start-up; a portal whose table is empty, or two routes with the same method and path,
/// stop start-up with one clear line (``ClaveAppError``).
///
/// Every portal is built the same way, in three layers, each with its own test file:
///
/// | layer | SECOP II | SOI | Cajacopi |
/// |---|---|---|---|
/// | steps over the store, no HTTP | `SECOPRecovery` | `SOIRecovery` | `CajacopiRecovery` |
/// | outcome → ``PortalPage``, no server | `SECOPRecoveryPages` | `SOIRecoveryPages` | `CajacopiRecoveryPages` |
/// | the route table, thin wiring | `SECOPRecoveryRoutes` | `SOIRecoveryRoutes` | `CajacopiRecoveryRoutes` |
///
/// Rate limits are spent in the routes layer (each route declares the one it spends); password
/// hashing is bounded in the steps layer (``BoundedHashing``); audit entries come from the steps
/// layer through ``AuditTrail`` (a failed write is logged, never a 500).
public protocol PortalModule {
    /// The portal's theme.
    static var theme: PortalTheme { get }
    /// Every route of the portal (login, home, logout and recovery), in one table.
    static func routes(in context: AppContext) -> RouteTable
}
