import HTTPCore
import Synchronization

/// The server's responder before the app exists: `clave serve --port 0` learns its port only
/// once the server is listening, and the app needs it for its default public URL (the base of
/// every link in an email). No request is served before `install`, because the URL is printed
/// after it; one that slipped in would get 503 rather than a link to port 0.
///
/// Every request asks it twice (inline or not, then the answer), from both event loops at
/// once, so the app is published with one release store and read with an acquire load
/// rather than under a lock both loops would take for every request.
final class LateResponder: HTTPResponder, @unchecked Sendable {
    /// Set once, before `installed` becomes true, and never changed after.
    private var app: (any HTTPResponder)?
    private let installed = Atomic<Bool>(false)

    /// Starts answering with `app`. Called once, at start-up.
    func install(_ app: any HTTPResponder) {
        precondition(!installed.load(ordering: .acquiring), "LateResponder.install called twice")
        self.app = app
        installed.store(true, ordering: .releasing)
    }

    private var current: (any HTTPResponder)? { installed.load(ordering: .acquiring) ? app : nil }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        guard let app = current else { return .text("Iniciando…", status: .serviceUnavailable) }
        return try app.respond(to: request)
    }

    func respondsInline(to request: HTTPRequestHead) -> Bool {
        current?.respondsInline(to: request) ?? true
    }
}
