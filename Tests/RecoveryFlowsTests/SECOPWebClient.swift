import Foundation
import TestSupport

/// A small browser for the HTTP tests: one connection per request to the live app, keeps
/// cookies, and reads the `csrf` field of the last page so POSTs carry it as a form would.
final class SECOPWebClient {
    let server: LiveServer
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String?

    init(server: LiveServer) { self.server = server }

    @discardableResult
    func get(_ target: String) throws -> RawHTTPResponse { try send("GET", target, body: nil) }

    /// POSTs `fields` plus the last page's `csrf` field (unless `withCSRF` is false).
    @discardableResult
    func post(_ target: String, _ fields: [(String, String)], withCSRF: Bool = true) throws -> RawHTTPResponse {
        var fields = fields
        if withCSRF, let csrf { fields.append(("csrf", csrf)) }
        let body = fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try send("POST", target, body: body)
    }

    private func send(_ method: String, _ target: String, body: String?) throws -> RawHTTPResponse {
        let client = try server.connect(timeout: 10)
        defer { client.close() }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: atacante.example\r\nConnection: close\r\n"
        if !cookies.isEmpty {
            text += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        if let body {
            text += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        try client.send(text)
        let response = try client.readResponse()
        for (name, value) in response.headers where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let cookieName = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let cookieValue = String(pair[pair.index(after: equals)...])
            if value.lowercased().contains("max-age=0") { cookies[cookieName] = nil } else { cookies[cookieName] = cookieValue }
        }
        if let found = Self.field("csrf", in: response.text) { csrf = found }
        return response
    }

    /// The value of the hidden input `name` in `html`.
    static func field(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
