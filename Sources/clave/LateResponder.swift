import Foundation
import HTTPCore

/// The server's responder before the app exists: `clave serve --port 0` learns its port only
/// once the server is listening, and the app needs it for its default public URL (the base of
/// every link in an email). No request is served before `install`, because the URL is printed
/// after it; one that slipped in would get 503 rather than a link to port 0.
final class LateResponder: HTTPResponder, @unchecked Sendable {
    private let lock = NSLock()
    private var app: (any HTTPResponder)?

    /// Starts answering with `app`.
    func install(_ app: any HTTPResponder) {
        lock.withLock { self.app = app }
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard let app = lock.withLock({ self.app }) else { return .text("Iniciando…", status: .serviceUnavailable) }
        return try app.respond(to: request)
    }

    func respondsInline(to request: HTTPRequestHead) -> Bool {
        lock.withLock { self.app }?.respondsInline(to: request) ?? true
    }
}
