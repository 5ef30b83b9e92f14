import ClaveLog
import Foundation
import HTTPCore

/// `clave serve`: the web server, until SIGTERM or SIGINT shuts it down gracefully.
enum ServeCommand: Command {
    static let name = "serve"
    static let summary = "Serve the portals over HTTP."
    static let usage = """
    Usage: clave serve [OPTIONS]

    Serves the portals until SIGTERM or SIGINT, then stops accepting, finishes the requests in
    flight and exits 0. Each option can also come from the environment variable shown.

      --host H                  address to listen on; :: for every IPv4 and IPv6 address
                                (CLAVE_HOST, default 127.0.0.1)
      --port P                  TCP port, 0 for any free port (CLAVE_PORT, default 8080)
      --db FILE                 SQLite database file (CLAVE_DB, default clave.sqlite)
      --resources DIR           templates and static files (CLAVE_RESOURCES, default ./Resources)
      --public-url URL          base of links in emails; https required in production
                                (CLAVE_PUBLIC_URL, default http://HOST:PORT)
      --smtp-url URL            smtp://user:pass@host:587 or smtps://host:465; required in
                                production (CLAVE_SMTP_URL)
      --mode development|production   (CLAVE_MODE, default development)
      --access-log on|off       one log line per request (CLAVE_ACCESS_LOG, default on)
      --workers N               handler threads (CLAVE_WORKERS, default twice the cores, at least 4)

    Routes for now: GET / (placeholder home page), GET /healthz, GET /metrics, /static/.
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let settings = try ServeConfiguration(&arguments)
        try arguments.finish()

        let logger = Logger(label: "http")
        var configuration = HTTPServerConfiguration(host: settings.host, port: settings.port)
        configuration.accessLog = settings.accessLog
        configuration.logger = logger
        if let workers = settings.workers { configuration.workerCount = workers }

        let metrics = Metrics()
        let router = try makeRouter(settings: settings, metrics: metrics)
        let server = HTTPServer(configuration: configuration, responder: router, metrics: metrics)
        // Before any server thread exists, so that every thread inherits the blocked signals.
        let signals = try SignalWatcher { signal in
            logger.info("shutting down", ["signal": String(signal)])
            server.shutdown()
        }
        let port: Int
        do {
            port = try server.start()
        } catch {
            throw CLIError("cannot listen on \(settings.host):\(settings.port): \(error)", status: 1)
        }
        let shownHost = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        FileHandle.standardOutput.write(Data("Clave escuchando en http://\(shownHost):\(port)/ (modo \(settings.mode.rawValue))\n".utf8))
        server.wait()
        withExtendedLifetime(signals) {}
        return 0
    }

    /// The routes served until the web layer lands.
    static func makeRouter(settings: ServeConfiguration, metrics: Metrics) throws -> Router {
        var router = Router()
        router.get("/", inline: true) { request in HomePage.response(request) }
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/metrics", inline: true) { _ in
            var response = HTTPResponse.text(metrics.render())
            response.headers.replace("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
        let staticFolder = settings.resources + "/static"
        if FileManager.default.fileExists(atPath: staticFolder) {
            router.mount("/static/", try StaticFiles(folder: staticFolder))
        }
        if let pattern = router.invalidPatterns.first { throw CLIError("invalid route pattern '\(pattern)'", status: 1) }
        return router
    }
}
