import Foundation
import HTTPCore
import Templates
import UserStore

/// The development mailbox (development mode only, loopback clients only): the pages at
/// `/_correo` and the JSON API of DESIGN.md that tests and staff scripts read mail through.
///
/// Emails' HTML is shown in a sandboxed iframe (`sandbox=""`: no scripts, no forms, no
/// same-origin) loaded from `/_correo/{id}/html`, whose CSP allows nothing but inline styles
/// and images, since emails need inline styles. A link clicked in it opens in the whole window
/// (`<base target="_top">` and the sandbox's `allow-top-navigation-by-user-activation`): the
/// pages it leads to refuse to be framed.
enum DevMailboxRoutes {
    /// The email's HTML with `<base target="_top">` first in its head (a `base` without `href`,
    /// which `base-uri 'none'` does not concern), so its links leave the frame.
    static func linksOpenInWholeWindow(_ html: String) -> String {
        guard let head = html.range(of: "<head>", options: .caseInsensitive) else { return "<base target=\"_top\">" + html }
        return html.replacingCharacters(in: head, with: "<head><base target=\"_top\">")
    }

    /// How many messages the list and the API return at most.
    static let listLimit = 200
    /// The policy of the email HTML view: nothing but the inline styles and images emails need,
    /// framed only by the mailbox's own page.
    static let emailContentSecurityPolicy = ContentSecurityPolicy([
        (.defaultSource, ["'none'"]), (.styleSource, ["'unsafe-inline'"]), (.imageSource, ["data:", "'self'"]),
        (.frameAncestors, ["'self'"]), (.baseURI, ["'none'"]), (.formAction, ["'none'"]),
    ])

    /// The mailbox's pages and API (development mode only).
    static func routes(in context: AppContext) -> RouteTable {
        RouteTable("dev", [
        .page("/_correo") { request in
            try requireLoopback(request.http)
            let para = request.query["para"].flatMap { $0.isEmpty ? nil : $0 }
            let messages = try context.database.read { tx in try tx.mailbox.list(recipient: para, limit: listLimit) }
            return try request.page("correo/lista.html", title: "Buzón de desarrollo", values: [
                "mensajes": .list(messages.map(summary)),
                "para": .string(para ?? ""),
            ])
        },
        .page("/_correo/{id}") { request in
            try requireLoopback(request.http)
            let message = try find(request.http, context: context)
            return try request.page("correo/mensaje.html", title: message.subject, values: ["mensaje": summary(message),
                "texto": .string(message.textBody), "fuente": .string(message.rawSource),
                "tiene_html": .bool(!message.htmlBody.isEmpty)])
        },
        .form("/_correo/vaciar") { request in
            try requireLoopback(request.http)
            try context.database.write { tx in try tx.mailbox.deleteAll() }
            return request.redirect(to: "/_correo", notice: FlashNotice(.success, "Se borraron todos los mensajes."))
        },
        .resource("/_correo/{id}/html") { http in
            try requireLoopback(http)
            var response = HTTPResponse.html(linksOpenInWholeWindow(try find(http, context: context).htmlBody))
            response.headers.replace("Content-Security-Policy", emailContentSecurityPolicy.headerValue)
            response.headers.replace("X-Frame-Options", "SAMEORIGIN")
            response.headers.replace("Referrer-Policy", "no-referrer")
            return response
        },
        .resource("/_correo/api/mensajes") { http in
            try requireLoopback(http)
            let para = http.queryItems["para"].flatMap { $0.isEmpty ? nil : $0 }
            return try json(try context.database.read { tx in try tx.mailbox.list(recipient: para, limit: listLimit) }.map(DevMailboxJSON.init))
        },
        .resource("/_correo/api/mensajes/{id}") { http in
            try requireLoopback(http)
            return try json(DevMailboxJSON(try find(http, context: context)))
        },
        .exempt(.delete, "/_correo/api/mensajes",
                because: "development-only JSON API for test scripts on this machine; refuses all but direct loopback clients") { http in
            try requireLoopback(http)
            try context.database.write { tx in try tx.mailbox.deleteAll() }
            return HTTPResponse(status: .noContent)
        },
        ])
    }

    /// Refuses anything but a direct loopback peer with 404 (the mailbox does not exist for
    /// others; see `ClientAddress.isDirectFromThisMachine`).
    static func requireLoopback(_ http: HTTPRequest) throws {
        guard ClientAddress.isDirectFromThisMachine(http) else { throw HTTPError(.notFound) }
    }

    static func find(_ http: HTTPRequest, context: AppContext) throws -> MailboxMessage {
        guard let text = http.parameters["id"], let id = Int64(text), let message = try context.database.read({ tx in try tx.mailbox.find(id: id) }) else {
            throw HTTPError(.notFound, message: "Ese mensaje no existe.")
        }
        return message
    }

    static func summary(_ message: MailboxMessage) -> TemplateValue {
        .dictionary(["id": .string(String(message.id)), "para": .string(message.recipient), "de": .string(message.sender),
                     "asunto": .string(message.subject), "fecha": .string(displayDate(message.createdAt)),
                     "enlace": .string("/_correo/\(message.id)"), "enlace_html": .string("/_correo/\(message.id)/html")])
    }

    /// The date as the portals' staff read it: Colombian time (UTC−5 all year, no daylight
    /// saving, so a fixed offset needs no time-zone database), e.g. `29/11/2026 19:50:11 (hora de
    /// Colombia)`. The JSON API keeps ISO 8601 in UTC.
    static func displayDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: -5 * 3600)
        formatter.dateFormat = "dd/MM/yyyy HH:mm:ss"
        return formatter.string(from: date) + " (hora de Colombia)"
    }

    static func json(_ value: some Encodable) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var response = HTTPResponse(body: Array(try encoder.encode(value)))
        response.headers.replace("Content-Type", "application/json; charset=utf-8")
        response.headers.replace("Cache-Control", "no-store")
        return response
    }
}

/// One message in the JSON API: `id`, `to`, `from`, `subject`, `text`, `html`, `created`
/// (ISO 8601, UTC).
struct DevMailboxJSON: Encodable {
    let id: Int64
    let to: String
    let from: String
    let subject: String
    let text: String
    let html: String
    let created: String

    init(_ message: MailboxMessage) {
        id = message.id
        to = message.recipient
        from = message.sender
        subject = message.subject
        text = message.textBody
        html = message.htmlBody
        created = DevMailboxJSON.timestamp(message.createdAt)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
