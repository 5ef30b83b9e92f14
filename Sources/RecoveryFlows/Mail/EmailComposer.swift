import Foundation
import Templates
import UserStore

/// Renders one email's text and HTML templates (side by side: `correos/soi/clave-temporal.txt`
/// and `.html`) into a `NewOutboxMessage`, ready to be enqueued in the same transaction as the
/// change it announces (DESIGN.md, Data). Every portal's emails go through here, so each one
/// has both parts (multipart/alternative readers pick one; plain-text readers still get all).
public struct EmailComposer: Sendable {
    /// The templates folder (`Resources/templates`), loaded once.
    public let templates: TemplateSet

    /// A composer over `templates`.
    public init(templates: TemplateSet) { self.templates = templates }

    /// The message `name` (`correos/soi/clave-temporal`, no extension) rendered with `context`.
    public func compose(_ name: String, context: [String: TemplateValue], portal: String, sender: String,
                        recipient: String, subject: String) throws(TemplateError) -> NewOutboxMessage {
        var context = context
        context["asunto"] = .string(subject)
        let text = try templates.render(name + ".txt", context)
        let html = try templates.render(name + ".html", context)
        return NewOutboxMessage(portal: portal, sender: sender, recipient: recipient, subject: subject,
                                textBody: text, htmlBody: html)
    }
}

/// How emails and pages write instants: Colombian civil time (UTC−5, no daylight saving).
public enum ColombianTime {
    /// Bogotá's zone, or a fixed UTC−5 when the system has no zone database.
    public static let zone: TimeZone = TimeZone(identifier: "America/Bogota") ?? TimeZone(secondsFromGMT: -5 * 3600) ?? .current

    /// `22/11/2026 a las 07:30 p. m.`-style text: day/month/year and 12-hour time, as the
    /// portals' users read dates.
    public static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.day, .month, .year, .hour, .minute], from: date)
        let hour24 = parts.hour ?? 0
        let hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12
        let suffix = hour24 < 12 ? "a. m." : "p. m."
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0) a las \(hour12):\(two(parts.minute)) \(suffix) (hora de Colombia)"
    }
}
