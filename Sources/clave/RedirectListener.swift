import ClaveLog
import Foundation
import HTTPCore

/// `--redirect-http PORT`: a plain HTTP listener that answers every request with a 308 to the
/// same path and query under the https public URL, so a browser that typed the bare name
/// lands on HTTPS (308, not 301: a POST stays a POST, RFC 9110 §15.4.9). It reads nothing
/// else and serves nothing else.
struct RedirectToHTTPS: HTTPResponder {
    /// The https public URL without a trailing slash (`https://clave.example.co`).
    let base: String

    init(publicURL: URL) {
        var text = publicURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        base = text
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        let target = request.head.target.hasPrefix("/") ? request.head.target : "/"
        return HTTPResponse(status: HTTPStatus(code: 308), headers: ["Location": base + target, "Content-Type": "text/plain; charset=utf-8"],
                            body: Array("Use \(base + target)\n".utf8))
    }

    func respondsInline(to request: HTTPRequestHead) -> Bool { true }

    /// The listener on `host:port`, started; one loop and one worker, like the admin listener.
    static func start(host: String, port: Int, publicURL: URL, logger: Logger) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration(host: host, port: port, eventLoopCount: 1, workerCount: 1)
        configuration.accessLog = false
        configuration.logger = logger
        let server = HTTPServer(configuration: configuration, responder: RedirectToHTTPS(publicURL: publicURL))
        do {
            _ = try server.start()
        } catch {
            throw CLIError("cannot listen on --redirect-http \(host):\(port): \(error)", status: 1)
        }
        return server
    }
}
