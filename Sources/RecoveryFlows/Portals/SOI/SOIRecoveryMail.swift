import Foundation
import Templates
import UserStore

/// SOI's two emails: the temporary password and the "your password was changed" notice, each
/// with text and HTML parts from `Resources/templates/correos/soi/`, in the portal's voice
/// (the guide's contact lines, its closing "GRACIAS POR ELEGIR NUESTROS SERVICIOS.").
public struct SOIRecoveryMail: Sendable {
    /// Subject of the temporary password email.
    public static let temporaryPasswordSubject = "SOI - Recuperación de clave"
    /// Subject of the change notification.
    public static let passwordChangedSubject = "SOI - Su clave fue cambiada"

    /// Renders the templates.
    public let composer: EmailComposer
    /// Sender, public URL and contact lines.
    public let configuration: SOIRecoveryConfiguration

    /// A builder over `composer` with `configuration`'s sender and links.
    public init(composer: EmailComposer, configuration: SOIRecoveryConfiguration) {
        self.composer = composer
        self.configuration = configuration
    }

    /// The email carrying `temporaryPassword` for `user` of `aportante`, valid until `expiresAt`.
    /// Its link is the configured public URL's login page, never the request's Host.
    public func temporaryPassword(_ temporaryPassword: String, user: User, aportante: Document,
                                  expiresAt: Date) throws(TemplateError) -> NewOutboxMessage {
        try composer.compose("correos/soi/clave-temporal", context: [
            "usuario": .string(user.document?.displayText ?? user.displayName),
            "aportante": .string(aportante.displayText),
            "clave": .string(temporaryPassword),
            "vence": .string(ColombianTime.text(expiresAt)),
            "enlace_ingreso": .string(link("/soi/ingreso")),
            "contactos": .list(configuration.contactLines.map { .string($0) }),
        ], portal: Portal.soi.rawValue, sender: configuration.sender, recipient: user.email,
           subject: SOIRecoveryMail.temporaryPasswordSubject)
    }

    /// The notice sent after every password change, with the "¿No fue usted?" contact lines.
    public func passwordChanged(user: User, aportante: Document?, at now: Date) throws(TemplateError) -> NewOutboxMessage {
        try composer.compose("correos/soi/clave-cambiada", context: [
            "usuario": .string(user.document?.displayText ?? user.displayName),
            "aportante": .string(aportante?.displayText ?? "registrado"),
            "cuando": .string(ColombianTime.text(now)),
            "enlace_olvido": .string(link("/soi/olvido-clave")),
            "contactos": .list(configuration.contactLines.map { .string($0) }),
        ], portal: Portal.soi.rawValue, sender: configuration.sender, recipient: user.email,
           subject: SOIRecoveryMail.passwordChangedSubject)
    }

    /// `path` under the configured public URL (one slash between them).
    func link(_ path: String) -> String {
        var base = configuration.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
