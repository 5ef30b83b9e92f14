import Foundation
import TestSupport

/// The shell's ``WebClient`` (cookies, one request per connection or in process) plus what a browser does
/// with a form: it remembers the last page's `csrf` field and sends it with the next POST.
final class SECOPWebClient {
    let client: WebClient
    private(set) var csrf: String?

    /// A client of `transport` (the app in process, or a live server's socket).
    init(transport: any WebTransport) { client = WebClient(transport: transport) }

    /// A client of a live server.
    init(server: LiveServer) { client = WebClient(port: server.port) }

    @discardableResult
    func get(_ target: String) throws -> WebResponse { remember(try client.get(target)) }

    /// POSTs `fields` plus the last page's `csrf` field (unless `withCSRF` is false).
    @discardableResult
    func post(_ target: String, _ fields: [(String, String)], withCSRF: Bool = true) throws -> WebResponse {
        var fields = fields
        if withCSRF, let csrf { fields.append(("csrf", csrf)) }
        return remember(try client.post(target, fields))
    }

    private func remember(_ response: WebResponse) -> WebResponse {
        if let value = response.hiddenField("csrf") { csrf = value }
        return response
    }

    /// The value of the hidden input `name` in `html`.
    static func field(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    /// A query-string value.
    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
