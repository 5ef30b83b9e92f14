import ClaveLog
import Foundation
import ClaveCrypto
import ClaveHTTPS
import HTTPCore
import Mailer
import RecoveryFlows
import UserStore

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
      --smtp-url URL            smtp://user:pass@host:587 (STARTTLS), smtps://host:465, or
                                smtp+plain://host:25 (no TLS, no AUTH; in production only to
                                this machine); ?ca=FILE trusts that CA; required in production
                                (CLAVE_SMTP_URL)
      --mail-domain DOMAIN      the portals send from soporte@, registro@ and notificaciones@
                                DOMAIN; it must match the SMTP account and DKIM key
                                (CLAVE_MAIL_DOMAIN, default the reserved *.example domains)
      --ehlo-name NAME          our name in EHLO; the host's public name (CLAVE_EHLO_NAME,
                                default localhost)
      --dkim-domain DOMAIN      DKIM-sign every message (d=DOMAIN), with --dkim-selector NAME
      --dkim-selector NAME      and --dkim-key FILE (a PEM RSA key); all three or none
      --dkim-key FILE           (CLAVE_DKIM_DOMAIN, CLAVE_DKIM_SELECTOR, CLAVE_DKIM_KEY)
      --no-dkim                 production only: send unsigned mail knowingly (the start
                                banner warns); production otherwise requires the three above
      --mode development|production   (CLAVE_MODE, default development)
      --access-log on|off       one log line per request (CLAVE_ACCESS_LOG, default on)
      --workers N               handler threads (CLAVE_WORKERS, default twice the cores, at least 4)
      --admin-listen HOST:PORT  the admin listener: /metrics, /healthz, /readyz; off for none
                                (CLAVE_ADMIN_LISTEN, default off in production, a free
                                loopback port in development; the banner prints it)
      --max-connections N       client connections open at once; beyond it accepting pauses
                                (counted in /metrics) and those open are still served
                                (CLAVE_MAX_CONNECTIONS, default the descriptor limit less a quarter)
      --audit-retention-days N  how long the audit log is kept (CLAVE_AUDIT_RETENTION_DAYS, default 180)
      --soi-temporary-minutes N  how long SOI's emailed temporary password works, also after
                                logging in with it until the change is made; 5 to 1440
                                (CLAVE_SOI_TEMPORARY_MINUTES, default 60)
      --trusted-proxy CIDR      a reverse proxy whose Forwarded / X-Forwarded-For names the
                                client (address or block, IPv4 or IPv6; repeatable;
                                CLAVE_TRUSTED_PROXIES comma-separated; default none)
      --tls-cert FILE           serve HTTPS: the certificate chain (PEM, leaf first, then
      --tls-key FILE            its issuers) and its private key (PEM); TLS 1.2 and 1.3 only.
                                SIGHUP reads both again for new connections; a bad pair keeps
                                the old one and logs why (CLAVE_TLS_CERT, CLAVE_TLS_KEY)
      --redirect-http PORT      with --tls-cert: a plain HTTP listener on PORT answering every
                                request with 308 to the https public URL (CLAVE_REDIRECT_HTTP)
      --unsafe-development-on-network   let development mode (every user's mail at /_correo,
                                the captcha answers) listen beyond loopback or take an https URL

    Production mode refuses to start without an https --public-url, --smtp-url, --mail-domain,
    --ehlo-name (not localhost) and DKIM or --no-dkim. 'clave check' takes the same options and
    tests them (database, DKIM key, SMTP login) without serving.

    In development mode the demo users are created if missing and printed with their passwords,
    and without --smtp-url mail goes to the development mailbox at /_correo.
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        // First of all, before any thread exists (the log writer's starts with the first line a
        // migration logs): every thread inherits the blocked SIGTERM and SIGINT, so the signal
        // waits for the watcher below and shutdown is graceful even on a first start.
        try SignalWatcher.blockTerminationSignals()
        var arguments = arguments
        let settings = try ServeConfiguration(&arguments)
        try arguments.finish()
        try settings.checkDatabaseFolder()
        let mailConfiguration = try settings.mailConfiguration()
        MemoryPolicy.apply()

        let logger = Logger(label: "http")
        let tlsContext = try settings.makeTLSContext()
        var configuration = HTTPServerConfiguration(host: settings.host, port: settings.port)
        configuration.security = tlsContext.map(TLSConnectionSecurity.init)
        configuration.accessLog = settings.accessLog
        configuration.trustedProxies = settings.trustedProxies
        configuration.logger = logger
        if let workers = settings.workers { configuration.workerCount = workers }
        if let cap = settings.maxConnections { configuration.maxConnections = cap }

        // The database, migrated; in development the demo users, printed with their passwords.
        let database = try DBCommand.open(settings.databasePath)
        let seeded = settings.mode == .development
            ? try SeedDemoCommand.seed(database, hasher: PasswordHasher()) : []

        // Mail: SMTP when --smtp-url is given, else (development only) the mailbox at /_correo.
        let route = try settings.mailRoute()
        let transport = try route.makeTransport(database: database, composer: MessageComposer(configuration: mailConfiguration))
        let worker = OutboxWorker(database: database, transport: transport)

        let metrics = Metrics()
        OperationsRoutes.registerOutboxGauges(metrics, database: database, clock: { Date() })
        OperationsRoutes.registerStoreCounters(metrics, database: database)
        metrics.counters("clave_mail_delivery_failures_total", label: "reason",
                         help: "Failed delivery attempts since start, by reason.") { worker.failures.snapshot }
        let app = LateResponder()
        let server = HTTPServer(configuration: configuration, responder: app, metrics: metrics)
        // Before the server starts; a signal that came during the migrations is read at once.
        let signals = try SignalWatcher { signal in
            if signal == SIGHUP { return ServeConfiguration.reloadCertificate(tlsContext, logger: logger) }
            logger.info("shutting down", ["signal": String(signal)])
            server.shutdown()
        }
        let port: Int
        do {
            port = try server.start()
        } catch {
            throw CLIError("cannot listen on \(settings.host):\(settings.port): \(error)", status: 1)
        }
        // Built once the port is known: with --port 0 and no --public-url, links use the bound port.
        // PostgreSQL: after a request enqueues, the other nodes hear of it too (OutboxNotifier).
        let notifier = OutboxNotifier(database: database)
        app.install(try makeApp(settings: settings.listening(on: port), database: database, metrics: metrics,
                                wakeOutbox: { worker.wake(); notifier?.notify() }))
        worker.start()
        // PostgreSQL: an email enqueued on any node wakes this node's worker too.
        let outboxListener = OutboxNotifications.listen(database) { worker.wake() }
        let admin = try startAdminListener(settings, database: database, metrics: metrics, logger: logger)
        let redirect = try settings.redirectHTTPPort.map {
            try RedirectToHTTPS.start(host: settings.host, port: $0, publicURL: settings.listening(on: port).publicURL, logger: logger)
        }
        // Expired sessions, captchas, counters and old tokens go every 15 minutes (and now).
        let housekeeping = Housekeeping(database: database, policy: settings.purgePolicy)
        housekeeping.start()
        let shownHost = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        // The URL line first: scripts and tests read it to find the port.
        var banner = "Clave escuchando en \(tlsContext == nil ? "http" : "https")://\(shownHost):\(port)/ (modo \(settings.mode.rawValue))\nCorreo: \(route.summary)\nBase de datos: \(database.location)\n"
        if let tlsContext {
            let certificate = tlsContext.summary
            banner += "HTTPS: \(certificate.subject), vence en \(certificate.daysLeft) días\n"
        }
        if let redirect, let redirectPort = redirect.port {
            banner += "Redirección HTTP: http://\(shownHost):\(redirectPort)/ → 308 a \(settings.listening(on: port).publicURL.absoluteString)\n"
        }
        for warning in settings.warnings { banner += "Advertencia: \(warning)\n" }
        if !seeded.isEmpty {
            banner += "Usuarios de demostración (solo desarrollo; contraseñas públicas):\n\(SeedDemoCommand.table(seeded))\n"
        }
        if let admin, let adminPort = admin.port {
            banner += "Administración: http://\(admin.configuration.host.contains(":") ? "[\(admin.configuration.host)]" : admin.configuration.host):\(adminPort)/metrics\n"
        }
        FileHandle.standardOutput.write(Data(banner.utf8))
        server.wait()
        admin?.shutdown()
        admin?.wait()
        redirect?.shutdown()
        redirect?.wait()
        housekeeping.stop()
        outboxListener?.stop()
        notifier?.flush()
        // Requests have finished: send what they enqueued before exiting.
        if !worker.stop(drainWithin: 10) { logger.warning("outbox not drained at shutdown; it resumes at next start") }
        withExtendedLifetime(signals) {}
        return 0
    }

    /// The admin listener of `settings` (`--admin-listen`), started; nil when off. One loop and
    /// one worker: it serves an operator's scraper, not the public.
    static func startAdminListener(_ settings: ServeConfiguration, database: Database, metrics: Metrics,
                                   logger: Logger) throws -> HTTPServer? {
        guard let address = settings.adminListen else { return nil }
        var configuration = HTTPServerConfiguration(host: address.host, port: address.port, eventLoopCount: 1, workerCount: 1)
        configuration.accessLog = false
        configuration.logger = logger
        let readiness = Readiness(database: database, warnings: settings.warnings)
        let admin = HTTPServer(configuration: configuration,
                               responder: OperationsRoutes.adminRouter(metrics: metrics, readiness: readiness, clock: { Date() }))
        do {
            _ = try admin.start()
        } catch {
            throw CLIError("cannot listen on --admin-listen \(address.host):\(address.port): \(error)", status: 1)
        }
        return admin
    }

    /// The web application for `settings`, built once.
    static func makeApp(settings: ServeConfiguration, database: Database, metrics: Metrics,
                        wakeOutbox: @escaping @Sendable () -> Void) throws -> ClaveApp {
        var configuration = AppConfiguration(
            mode: settings.mode == .production ? .production : .development,
            publicURL: settings.publicURL,
            resources: URL(fileURLWithPath: settings.resources),
            senders: settings.senders)
        configuration.soiTemporaryPasswordLifetime = settings.soiTemporaryPasswordLifetime
        configuration.readinessWarnings = settings.warnings
        configuration.trustedProxies = settings.trustedProxies
        do {
            let context = try AppContext(configuration: configuration, database: database, wakeOutbox: wakeOutbox)
            return try ClaveApp(context: context, metrics: metrics)
        } catch {
            throw CLIError("cannot load the web application from \(settings.resources): \(error)", status: 1)
        }
    }
}
