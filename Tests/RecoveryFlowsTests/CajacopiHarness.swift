import ClaveCrypto
import ClaveLog
import Foundation
import HTTPCore
import Mailer
import Synchronization
import Templates
import Testing
import TestSupport
import UserStore
@testable import RecoveryFlows

/// A clock tests move by hand, so links and captchas expire without sleeping.
final class CajacopiTestClock: AppClock {
    private let current = Mutex(Date())
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The Cajacopi flow on a live server (port 0, loopback) over a real SQLite file in a temp dir.
///
/// The flow is built as the app builds it (``CajacopiPortal/recovery(context:)`` over the shell's
/// ``AppContext``) and registered through the shell's ``WebRoutes``, so CSRF, client addresses
/// and rate limits are the shell's; only the flow's routes are served (the whole app is
/// `CajacopiAppTests`'s).
final class CajacopiHarness: @unchecked Sendable {
    static let publicURL = "https://clave.cajacopi.example"
    let directory: TemporaryDirectory
    let database: Database
    let clock = CajacopiTestClock()
    let context: AppContext
    let flow: CajacopiRecovery
    let server: LiveServer
    var hasher: PasswordHasher { context.hasher }
    /// The outbox worker delivering to a real SMTP server, when the test asked for one.
    let worker: OutboxWorker?

    /// `development` picks the app's mode; `configure` adjusts the shell's configuration (rate
    /// limits) after the harness's defaults.
    init(development: Bool = true, smtpPort: Int? = nil,
         configure: (inout AppConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory(prefix: "cajacopi")
        database = try Database(path: directory.path("clave.sqlite"))
        _ = try database.migrate()
        var configuration = AppConfiguration(
            mode: development ? .development : .production, publicURL: try #require(URL(string: Self.publicURL)),
            resources: PackagePaths.resources, hashCost: .testing,
            uniformTiming: UniformTiming(floor: 0.02, jitter: 0), reloadTemplates: false)
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
        var routes = WebRoutes(context: context)
        flow.register(in: &routes, development: development)
        server = try LiveServer(routes.router)
    }

    deinit {
        server.stop()
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

    func browser() -> CajacopiBrowser { CajacopiBrowser(port: server.port) }
}

/// A page as the test browser got it.
struct CajacopiPage {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// The `value` of the input named `name` (the templates write `name="…" value="…"`).
    func field(_ name: String) -> String? {
        guard let start = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }
}

/// A cookie-keeping HTTP client over fresh loopback connections.
final class CajacopiBrowser {
    let port: Int
    var cookies: [String: String] = [:]
    init(port: Int) { self.port = port }

    func get(_ path: String) throws -> CajacopiPage { try send("GET", path, body: nil) }

    func post(_ path: String, _ fields: [(String, String)]) throws -> CajacopiPage {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try send("POST", path, body: body)
    }

    func send(_ method: String, _ path: String, body: String?) throws -> CajacopiPage {
        let client = try RawHTTPClient(port: port, timeout: 10)
        defer { client.close() }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n"
        if !cookies.isEmpty {
            request += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        if let body {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        try client.send(request)
        let response = try client.readResponse()
        for (name, value) in response.headers where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
        return CajacopiPage(status: response.status, headers: response.headers, body: response.body)
    }

    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
