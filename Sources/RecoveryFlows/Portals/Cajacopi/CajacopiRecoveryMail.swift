import Foundation
import Templates
import UserStore

/// The two Cajacopi emails, rendered from `correos/cajacopi/*.{txt,html}` into outbox rows.
public struct CajacopiRecoveryMail: Sendable {
    /// The templates folder's set.
    public let templates: TemplateSet
    /// Sender and public URL.
    public let configuration: CajacopiRecoveryConfiguration

    /// Emails rendered from `templates` with `configuration`'s sender and links.
    public init(templates: TemplateSet, configuration: CajacopiRecoveryConfiguration) {
        self.templates = templates
        self.configuration = configuration
    }

    /// The link in the reset email: public URL + route, the token as a query parameter.
    public func resetLink(token: String) -> String {
        configuration.publicURL + "/cajacopi/nueva-contrasena?token=" + token
    }

    /// "Restablecimiento de Contraseña": the guide's email with the button to the new-password page.
    public func resetEmail(to email: String, token: String) throws -> NewOutboxMessage {
        let minutes = Int(configuration.tokenLifetime / 60)
        let lifetime = minutes % 60 == 0 ? (minutes == 60 ? "1 hora" : "\(minutes / 60) horas") : "\(minutes) minutos"
        let context: [String: TemplateValue] = [
            "correo": .string(email), "enlace": .string(resetLink(token: token)), "vigencia": .string(lifetime),
        ]
        return try message(to: email, subject: "Restablecimiento de Contraseña - Cajacopi",
                           template: "correos/cajacopi/restablecer", context: context)
    }

    /// The confirmation after a change, with the "¿No fue usted?" contact.
    public func passwordChangedEmail(to email: String, at date: Date) throws -> NewOutboxMessage {
        let context: [String: TemplateValue] = [
            "correo": .string(email), "fecha": .string(ColombiaTime.text(date)),
            "enlace_ingreso": .string(configuration.publicURL + "/cajacopi/ingreso"),
        ]
        return try message(to: email, subject: "Su contraseña fue actualizada - Cajacopi",
                           template: "correos/cajacopi/contrasena-actualizada", context: context)
    }

    private func message(to email: String, subject: String, template: String,
                         context: [String: TemplateValue]) throws -> NewOutboxMessage {
        NewOutboxMessage(portal: Portal.cajacopi.rawValue, sender: configuration.sender, recipient: email, subject: subject,
                         textBody: try templates.render(template + ".txt", context),
                         htmlBody: try templates.render(template + ".html", context))
    }
}
