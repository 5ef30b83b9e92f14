import Templates
import UserStore

extension AppContext {
    /// The text and HTML bodies of the email `base` (`correos/secop-restablecer` renders
    /// `correos/secop-restablecer.txt` and `.html` from `Resources/templates`), so emails use
    /// the same template engine as pages. Put links in `values` built with
    /// `configuration.absoluteURL(_:)`, never from the Host header.
    public func emailBodies(_ base: String, _ values: [String: TemplateValue]) throws -> (text: String, html: String) {
        (try templates.render(base + ".txt", values), try templates.render(base + ".html", values))
    }

    /// An outbox row for `recipient` with the bodies of ``emailBodies(_:_:)``, ready to be
    /// enqueued in the same transaction as the token it announces.
    public func email(_ base: String, portal: Portal, sender: String, recipient: String, subject: String,
                      values: [String: TemplateValue]) throws -> NewOutboxMessage {
        let bodies = try emailBodies(base, values)
        return NewOutboxMessage(portal: portal.rawValue, sender: sender, recipient: recipient, subject: subject,
                                textBody: bodies.text, htmlBody: bodies.html)
    }
}
