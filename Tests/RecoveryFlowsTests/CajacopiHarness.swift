import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import HTTPCore
import Mailer
import Synchronization
import Templates
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// The Cajacopi flow over a real SQLite file in a temp dir, reached in process by default
/// (``InProcessTransport``) or on a live server (`CajacopiHarness(transport: .socket)`).
///
/// The flow is built as the app builds it (``CajacopiPortal/recovery(context:)`` over the shell's
/// ``AppContext``) and registered through the shell's ``WebRoutes``, so CSRF, client addresses
/// and rate limits are the shell's; only the flow's routes are served (the whole app is
/// `CajacopiAppTests`'s).
final class CajacopiHarness: @unchecked Sendable {
    static let publicURL = "https://clave.cajacopi.example"
    let directory: TemporaryDirectory
    let database: Database
    /// Moved by hand, so links and captchas expire without sleeping.
    let clock = ManualClock()
    let context: AppContext
    let flow: CajacopiRecovery
    /// Where the browsers' requests go: the flow's routes in process, or their live server.
    let endpoint: TestEndpoint
    var hasher: PasswordHasher { context.hasher }
    /// The outbox worker delivering to a real SMTP server, when the test asked for one.
    let worker: OutboxWorker?

    /// `development` picks the app's mode; `transport` is how browsers reach the routes;
    /// `configure` adjusts the shell's configuration (rate limits) after the harness's defaults,
    /// whose templates render in strict mode.
    init(development: Bool = true, smtpPort: Int? = nil, transport: TestTransport = .inProcess,
         configure: (inout AppConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory(prefix: "cajacopi")
        database = try TestStore.open(in: directory)
        _ = try database.migrate()
        var configuration = AppConfiguration(
            mode: development ? .development : .production, publicURL: try #require(URL(string: Self.publicURL)),
            resources: PackagePaths.resources, hashCost: .testing,
            uniformTiming: UniformTiming(floor: 0.02, jitter: 0), reloadTemplates: false)
        configuration.strictTemplates = true
        configure(&configuration)
        if let smtpPort {
            let url = SMTPURL(host: "127.0.0.1", port: smtpPort, security: .none)
            let transport = try SMTPTransport(
                client: SMTPClientConfiguration(url: url, ehloName: "clave.test", connectTimeout: 5, ioTimeout: 10),
                composer: MessageComposer(configuration: MailConfiguration(messageIDDomain: "clave.test")))
            worker = OutboxWorker(database: database, transport: transport)
        } else {
            worker = nil
        }
        worker?.start()
        let worker = self.worker
        var quiet = Logger(label: "web")
        quiet.level = .warning
        context = try AppContext(configuration: configuration, database: database, clock: clock, logger: quiet,
                                 wakeOutbox: { worker?.wake() })
        flow = CajacopiPortal.recovery(context: context)
        endpoint = try TestEndpoint(try ClaveApp(context: context, tables: [CajacopiPortal.routes(in: context)]), over: transport,
                                    configuration: HTTPServerConfiguration(eventLoopCount: 2, workerCount: 4))
    }

    deinit {
        endpoint.stop()
        _ = worker?.stop(drainWithin: 2)
    }

    /// A Cajacopi user with `password`.
    @discardableResult
    func addUser(email: String, password: String = "Vieja-Clave-2020", document: String = "1122334455",
                 phone: String = "3001234567", birthDate: String = "1990-05-17") throws -> User {
        let user = try NewUser(portal: .cajacopi, document: try Document(type: .cc, number: document),
                               email: try #require(EmailAddress(email)), phone: phone, birthDate: CalendarDate(birthDate))
        return try database.write { tx in try tx.users.create(user, passwordHash: try hasher.hash(password), now: clock.now()) }
    }

    /// The outbox's messages to `email`, newest first.
    func mail(to email: String) throws -> [OutboxMessage] {
        try database.read { tx in try tx.outbox.list(states: nil, limit: 1_000) }
            .filter { $0.recipient.lowercased() == email.lowercased() }
            .sorted { $0.id > $1.id }
    }

    /// A Cajacopi user with `email`, the request for a reset link made as a person would (the
    /// captcha answered), and the browser that made it with the link's token: where most link
    /// tests start.
    func userWithResetLink(email: String) throws -> (browser: CajacopiBrowser, token: String) {
        try addUser(email: email)
        let browser = browser()
        _ = try browser.requestCajacopiReset(email: email)
        return (browser, try latestToken(to: email))
    }

    /// The reset link's token in the newest reset email to `email`.
    func latestToken(to email: String) throws -> String {
        let message = try #require(try mail(to: email).first { $0.subject.hasPrefix("Restablecimiento") })
        let prefix = Self.publicURL + "/cajacopi/nueva-contrasena?token="
        let range = try #require(message.textBody.range(of: prefix))
        return String(message.textBody[range.upperBound...].prefix { !$0.isWhitespace })
    }

    func audit(_ event: String) throws -> [AuditEntry] {
        try database.read { tx in try tx.auditLog.recent(event: event, limit: 100) }
    }

    /// A browser with an empty cookie jar. It sends a foreign `Host` field, so a link built
    /// from it instead of the public URL would show in the emails.
    func browser() -> CajacopiBrowser { WebClient(transport: endpoint.transport, host: "evil.example") }
}

/// The Cajacopi tests' browser: the shell's ``WebClient``.
typealias CajacopiBrowser = WebClient
/// A page as the test browser got it.
typealias CajacopiPage = WebResponse

extension WebResponse {
    /// The `value` of the input named `name`, as written (the templates write `name="…" value="…"`).
    func field(_ name: String) -> String? {
        guard let start = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }
}

extension WebClient {
    /// Sends `body` as it is (a form body a browser would never encode like that).
    func send(_ method: String, _ path: String, body: String?) throws -> WebResponse {
        guard let body else { return try request(method, path) }
        return try request(method, path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    /// `text` percent-encoded for a query string (RFC 3986 unreserved characters kept).
    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
