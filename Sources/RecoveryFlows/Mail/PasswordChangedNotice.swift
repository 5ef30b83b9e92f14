import Foundation
import Templates
import UserStore

/// The "your password was changed" email every flow sends after a change (DESIGN.md, Rules).
///
/// It tells the owner when it happened and, in a "¿No fue usted?" paragraph, whom to call:
/// if a stranger reset the password, the owner hears of it at once from a mail they did not
/// ask for. Each portal words it in its own template, `correos/<portal>/contrasena-cambiada`,
/// which receives `usuario` (how the portal names the account), `fecha` (in Colombian words)
/// and `portal`.
public struct PasswordChangedNotice: Sendable {
    /// The template name under `correos/<portal>/`.
    public static let templateName = "contrasena-cambiada"

    /// Renders the notice for `user`'s change at `date`.
    public static func message(for user: User, at date: Date, composer: EmailComposer) throws(TemplateError) -> NewOutboxMessage {
        try composer.compose(portal: user.portal, name: templateName, to: user.email, subject: subject(for: user.portal),
                             context: ["usuario": .string(user.displayName), "fecha": .string(ColombiaTime.text(date)),
                                       "portal": .string(user.portal.displayName)])
    }

    /// The subject line for `portal`, in the portal's one style of subject («SECOP II - …»,
    /// as its other emails).
    public static func subject(for portal: Portal) -> String {
        "\(portal.displayName) - Su contraseña fue cambiada"
    }
}
