import Foundation
import Templates
import UserStore

/// SOI's emails: the temporary password (`correos/soi/clave-temporal`) and, after a change,
/// the shared `PasswordChangedNotice` (`correos/soi/contrasena-cambiada`). Both have text and
/// HTML parts, come from SOI's sender and carry the guide's contact lines.
public struct SOIRecoveryMail: Sendable {
    /// Subject of the temporary password email.
    public static let temporaryPasswordSubject = "SOI - Recuperación de clave"
    /// Subject of the change notice: SOI says "clave", not "contraseña".
    public static let passwordChangedSubject = "SOI - Su clave fue cambiada"
    /// The temporary password email's template name under `correos/soi/`.
    public static let temporaryPasswordTemplate = "clave-temporal"

    /// Renders the templates with each portal's sender.
    public let composer: EmailComposer
    /// The public URL and contact lines.
    public let configuration: SOIRecoveryConfiguration

    /// A builder over `composer` with `configuration`'s links and contact lines.
    public init(composer: EmailComposer, configuration: SOIRecoveryConfiguration) {
        self.composer = composer
        self.configuration = configuration
    }

    /// The email carrying `temporaryPassword` for `user` of `aportante`, valid until `expiresAt`.
    /// Its link is the configured public URL's login page, never the request's Host.
    public func temporaryPassword(_ temporaryPassword: String, user: User, aportante: Document,
                                  expiresAt: Date) throws(TemplateError) -> NewOutboxMessage {
        try composer.compose(portal: .soi, name: SOIRecoveryMail.temporaryPasswordTemplate, to: user.email,
                             subject: SOIRecoveryMail.temporaryPasswordSubject, context: [
            "usuario": .string(user.document?.displayText ?? user.displayName),
            "aportante": .string(aportante.displayText),
            "clave": .string(temporaryPassword),
            "vence": .string(ColombiaTime.text(expiresAt)),
            "vigencia": .string(Self.lifetimeText(configuration.temporaryPasswordLifetime)),
            "enlace_ingreso": .string(link("/soi/ingreso")),
            "contactos": .list(configuration.contactLines.map { .string($0) }),
        ])
    }

    /// The notice sent after every password change (the shared `PasswordChangedNotice`
    /// template and values), with the "¿No fue usted?" contact lines and SOI's own subject.
    public func passwordChanged(user: User, at now: Date) throws(TemplateError) -> NewOutboxMessage {
        try composer.compose(portal: .soi, name: PasswordChangedNotice.templateName, to: user.email,
                             subject: SOIRecoveryMail.passwordChangedSubject, context: [
            "usuario": .string(user.displayName),
            "fecha": .string(ColombiaTime.text(now)),
            "portal": .string(Portal.soi.displayName),
        ])
    }

    /// How long the temporary password lives, in the email's words ("1 hora", "90 minutos"):
    /// the user reads how much time they have, not only the clock time it ends.
    static func lifetimeText(_ lifetime: TimeInterval) -> String {
        let minutes = Int((lifetime / 60).rounded())
        guard minutes % 60 != 0 else { return minutes == 60 ? "1 hora" : "\(minutes / 60) horas" }
        return minutes == 1 ? "1 minuto" : "\(minutes) minutos"
    }

    /// `path` under the configured public URL (one slash between them).
    func link(_ path: String) -> String {
        var base = configuration.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
