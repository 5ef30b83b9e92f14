import HTTPCore

/// SOI's recovery routes (DESIGN.md, Routes), added to the shell's `SOIPortal`:
/// `GET/POST /soi/olvido-clave` and `GET/POST /soi/cambio-clave`. The shell checks CSRF on
/// every POST before these handlers run and turns thrown errors into themed pages.
extension SOIPortal {
    /// The recovery flow's routes.
    public static func registerRecovery(in routes: inout WebRoutes) {
        routes.get("/soi/olvido-clave") { request in try SOIRecoveryPages.forgotPage(request, form: FormState()) }
        routes.post("/soi/olvido-clave") { request in try SOIRecoveryPages.submitForgot(request) }
        routes.get("/soi/cambio-clave") { request in try SOIRecoveryPages.changePage(request, form: FormState()) }
        routes.post("/soi/cambio-clave") { request in try SOIRecoveryPages.submitChange(request) }
    }
}
