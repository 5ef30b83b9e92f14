import Templates
import UserStore

/// Renders one email from its template pair into an outbox row.
///
/// Every email has a plain-text and an HTML part (some readers show only one; spam filters
/// distrust HTML-only mail), kept side by side as `correos/<portal>/<name>.txt` and
/// `correos/<portal>/<name>.html` under the templates folder. The text template escapes
/// nothing and the HTML one escapes every value, so the same context serves both.
///
/// ```swift
/// let composer = EmailComposer(templates: templates, senders: EmailSenders())
/// let message = try composer.compose(portal: .secop, name: "restablecer-contrasena",
///                                    to: user.email, subject: "SECOP II: recuperar contraseña",
///                                    context: ["usuario": .string(name), "enlace": .string(link)])
/// try database.write { tx in try tx.resetTokens.issue(..., email: message) }   // token and mail in one transaction
/// ```
public struct EmailComposer: Sendable {
    /// The templates folder, loaded once.
    public let templates: TemplateSet
    /// Each portal's sender mailbox.
    public let senders: EmailSenders

    /// Creates a value from its fields.
    public init(templates: TemplateSet, senders: EmailSenders = EmailSenders()) {
        self.templates = templates
        self.senders = senders
    }

    /// The template names of email `name` of `portal`: (html, text).
    public static func templateNames(portal: Portal, name: String) -> (html: String, text: String) {
        let base = "correos/\(portal.rawValue)/\(name)"
        return (base + ".html", base + ".txt")
    }

    /// Renders both parts of email `name` for `recipient` with the portal's sender.
    ///
    /// Throws the template's error (missing file, missing value in strict mode) naming the
    /// file and line, so a broken email fails the request before any token is stored.
    public func compose(portal: Portal, name: String, to recipient: String, subject: String,
                        context: [String: TemplateValue]) throws(TemplateError) -> NewOutboxMessage {
        let names = Self.templateNames(portal: portal, name: name)
        var context = context
        context["asunto"] = context["asunto"] ?? .string(subject)
        let html = try templates.render(names.html, context)
        let text = try templates.render(names.text, context)
        return NewOutboxMessage(portal: portal.rawValue, sender: senders.sender(for: portal), recipient: recipient,
                                subject: subject, textBody: text, htmlBody: html)
    }
}
