import UserStore

/// One portal's routes. The shell's login pages register through ``registerLogin(in:)``; the
/// recovery flows (issue 6) add theirs by implementing ``registerRecovery(in:)`` in an extension
/// of the portal's type in their own file, e.g. `Portals/SECOP/SECOPRecoveryRoutes.swift`:
///
/// ```swift
/// extension SECOPPortal {
///     static func registerRecovery(in routes: inout WebRoutes) { ... }
/// }
/// ```
///
/// The default `registerRecovery` adds nothing, so the app builds before the flows land.
public protocol PortalModule {
    /// The portal's theme.
    static var theme: PortalTheme { get }
    /// Login, home and logout routes (the shell's).
    static func registerLogin(in routes: inout WebRoutes)
    /// The recovery flow's routes (the flows').
    static func registerRecovery(in routes: inout WebRoutes)
}

extension PortalModule {
    /// No recovery routes until the portal's flow adds them.
    public static func registerRecovery(in routes: inout WebRoutes) {}

    /// Both sets of routes.
    static func register(in routes: inout WebRoutes) {
        registerLogin(in: &routes)
        registerRecovery(in: &routes)
    }
}
