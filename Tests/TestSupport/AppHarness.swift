import ClaveCrypto
import ClaveLog
import ClaveTime
import Foundation
import HTTPCore
import Mailer
import RecoveryFlows
import UserStore

/// The real app for a test: `ClaveApp` reached in process (``InProcessTransport``, the default)
/// or through `HTTPServer` on a free loopback port (`AppHarness(transport: .socket)`), a real
/// SQLite file in its own temporary directory, the real `Resources` with templates in strict
/// mode, the development mailbox as mail transport and a real `OutboxWorker`. Tests run in
/// parallel: nothing is shared.
///
/// Password hashing uses the cheap `.testing` cost unless a test asks for another, and the
/// uniform-timing floor is zero, so the suite stays fast. The clock is a `ManualClock` that follows real time:
/// `harness.clock.advance(by: 16 * 60)` expires sessions without sleeping.
///
/// ```swift
/// let harness = try AppHarness()
/// let browser = harness.browser()
/// let page = try browser.get("/secop/ingreso")
/// let mail = try harness.waitForMail(to: "compras@example.com")
/// ```
public final class AppHarness: @unchecked Sendable {
    /// The temporary directory holding the database.
    public let directory: TemporaryDirectory
    /// The database (migrated).
    public let database: Database
    /// The app's context (repositories, configuration, clock).
    public let context: AppContext
    /// The clock the app and the outbox worker read.
    public let clock: ManualClock
    /// The outbox worker delivering into the development mailbox.
    public let worker: OutboxWorker
    /// Where the browsers' requests go: the app in process, or its live server.
    public let endpoint: TestEndpoint
    /// The app's metrics (what `/metrics` renders).
    public let metrics = Metrics()
    /// The live server, with `transport: .socket` only.
    public var server: LiveServer? { endpoint.server }

    /// The demo accounts' public passwords (as `clave seed-demo`).
    public enum Demo {
        public static let soiCompany = "NIT:900123456-8"
        public static let soiUser = "CC:1020304050"
        public static let soiPassword = "Soi-Demo-2026"
        public static let secopUser = "demo.secop"
        public static let secopPassword = "Secop-Demo-2026"
        public static let secopEmail = "compras@example.com"
        public static let cajacopiEmail = "afiliado@example.com"
        public static let cajacopiPassword = "Cajacopi-Demo-2026"
        public static let soiEmail = "usuario.soi@example.com"
    }

    /// Starts the app. `transport` is how browsers reach it; `configure` adjusts the
    /// configuration (rate limits, cost, mode, ...) after the harness's defaults; `seedDemo`
    /// creates the demo accounts. Templates render strictly: a value a page's template reads but
    /// the page does not provide fails the test.
    public init(transport: TestTransport = .inProcess, seedDemo: Bool = true,
                configure: (inout AppConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory(prefix: "clave-app")
        database = try TestStore.open(in: directory)
        try database.migrate()
        let clock = ManualClock(followsRealTime: true)
        self.clock = clock
        var configuration = AppConfiguration(
            mode: .development,
            publicURL: URL(string: "http://clave.test")!,
            resources: PackagePaths.resources,
            hashCost: .testing,
            uniformTiming: UniformTiming(floor: 0, jitter: 0),
            reloadTemplates: false)
        configuration.strictTemplates = true
        configure(&configuration)
        var quiet = Logger(label: "web")
        quiet.level = .warning
        let mailbox = DevelopmentMailbox(database: database,
                                           composer: MessageComposer(configuration: MailConfiguration()), logger: quiet)
        let worker = OutboxWorker(database: database, transport: mailbox,
                                  configuration: OutboxWorkerConfiguration(idleInterval: 0.2), logger: quiet,
                                  clock: clock)
        self.worker = worker
        context = try AppContext(configuration: configuration, database: database, clock: clock, logger: quiet,
                                 wakeOutbox: { worker.wake() })
        if seedDemo { try AppHarness.seedDemoUsers(database, hasher: context.hasher, now: clock.now()) }
        let app = try ClaveApp(context: context, metrics: metrics)
        endpoint = try TestEndpoint(app, over: transport)
        worker.start()
    }

    deinit {
        endpoint.stop()
        _ = worker.stop(drainWithin: 1)
    }

    /// A new browser with an empty cookie jar.
    public func browser() -> WebClient {
        WebClient(transport: endpoint.transport, host: server.map { "127.0.0.1:\($0.port)" } ?? "127.0.0.1")
    }

    /// Creates the demo accounts of `clave seed-demo` (same identifiers and passwords).
    public static func seedDemoUsers(_ database: Database, hasher: PasswordHasher, now: Date) throws {
        try database.write { tx in
            let users = tx.users
            _ = try users.createSOIUser(aportante: try Document(parsing: Demo.soiCompany), aportanteName: "Comercializadora Demo S.A.S.",
                                        document: try Document(parsing: Demo.soiUser), email: EmailAddress(Demo.soiEmail)!,
                                        passwordHash: try hasher.hash(Demo.soiPassword), now: now)
            _ = try users.create(try NewUser(portal: .secop, username: Demo.secopUser, email: EmailAddress(Demo.secopEmail)!),
                                 passwordHash: try hasher.hash(Demo.secopPassword), now: now)
            _ = try users.create(try NewUser(portal: .secop, username: "demo.secop.contratos", email: EmailAddress(Demo.secopEmail)!),
                                 passwordHash: try hasher.hash(Demo.secopPassword), now: now)
            _ = try users.create(try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:1122334455"),
                                             email: EmailAddress(Demo.cajacopiEmail)!, phone: "3001234567",
                                             birthDate: CalendarDate("1990-05-17")),
                                 passwordHash: try hasher.hash(Demo.cajacopiPassword), now: now)
        }
    }

    // MARK: Mail

    /// One message of the development mailbox's JSON API.
    public struct Mail: Decodable, Sendable {
        public let id: Int64
        public let to: String
        public let from: String
        public let subject: String
        public let text: String
        public let html: String
        public let created: String

        /// The path and query of the first link in the text part under the harness's public
        /// URL (`http://clave.test`) whose path starts with `prefix`, ready for `WebClient.get`.
        public func linkPath(startingWith prefix: String = "/") -> String? {
            let base = "http://clave.test"
            var rest = text[...]
            while let range = rest.range(of: base) {
                let tail = rest[range.upperBound...]
                let link = String(tail.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "<" && $0 != ">" })
                if link.hasPrefix(prefix) { return link }
                rest = tail
            }
            return nil
        }
    }

    /// Every message for `address` (newest first) through `GET /_correo/api/mensajes?para=`.
    public func mails(to address: String) throws -> [Mail] {
        let query = WebClient.formEncode([("para", address)])
        let response = try browser().get("/_correo/api/mensajes?\(query)")
        return try JSONDecoder().decode([Mail].self, from: Data(response.body))
    }

    /// The newest message for `address`, waking the outbox worker and polling up to `timeout`
    /// seconds; throws when none arrives.
    public func waitForMail(to address: String, newerThan id: Int64 = 0, timeout: TimeInterval = 10) throws -> Mail {
        let clock = ClaveTime.SystemClock()
        let deadline = clock.uptime() &+ UInt64(timeout * 1e9)
        while clock.uptime() < deadline {
            worker.wake()
            if let mail = try mails(to: address).first, mail.id > id { return mail }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw WebClientError.noMail(address)
    }
}

extension TrustedProxies {
    /// `127.0.0.1` as the one trusted proxy: the in-process and loopback tests' peer.
    public static var thisMachine: TrustedProxies { TrustedProxies(networks: IPNetwork("127.0.0.1").map { [$0] } ?? []) }
}
