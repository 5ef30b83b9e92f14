import Foundation

/// SECOP II recovery settings, with the defaults the portal's guide implies.
public struct SECOPRecoveryConfiguration: Sendable, Equatable {
    /// How long an emailed link works. Default 60 minutes: long enough for a slow mail
    /// server, short enough that a forgotten mail in an inbox is soon worthless.
    public var linkLifetime: TimeInterval
    /// The base of every link in an email (`https://clave.example.co`): the configured public
    /// URL, never the request's Host header, which an attacker chooses.
    public var publicURL: String
    /// Longest user name accepted before any look-up. Default 100.
    public var maximumUsernameLength: Int
    /// Longest token accepted before any look-up. Default 128 (ours are 43 characters).
    public var maximumTokenLength: Int

    /// Creates a value from its fields.
    public init(publicURL: String, linkLifetime: TimeInterval = 3_600, maximumUsernameLength: Int = 100,
                maximumTokenLength: Int = 128) {
        self.publicURL = publicURL
        self.linkLifetime = linkLifetime
        self.maximumUsernameLength = maximumUsernameLength
        self.maximumTokenLength = maximumTokenLength
    }

    /// The public URL without a trailing slash.
    var baseURL: String {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The change page's link carrying `token` (base64url: no escaping needed).
    func changeLink(token: String) -> String { baseURL + SECOPRoutes.changePassword + "?token=" + token }

    /// The login page's absolute URL.
    var loginLink: String { baseURL + SECOPRoutes.login }
}

/// SECOP II's routes (DESIGN.md, Routes: a contract).
public enum SECOPRoutes {
    /// The shell's login page.
    public static let login = "/secop/ingreso"
    /// "Olvidé la contraseña": field `usuario`.
    public static let forgotPassword = "/secop/olvide-contrasena"
    /// "Olvidé el usuario": field `correo`.
    public static let forgotUsername = "/secop/olvide-usuario"
    /// The emailed link: GET shows the form, POST (`token`, `contrasena_nueva`,
    /// `contrasena_confirmacion`) uses it.
    public static let changePassword = "/secop/cambiar-contrasena"
}
