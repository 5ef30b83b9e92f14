import ClaveCrypto
import ClaveTime
import Foundation
import RecoveryFlows
import Templates
import TestSupport
import UserStore

/// A migrated SQLite file in a fresh folder, the real templates and common-password list, and
/// a `SOIRecovery` over them, with one SOI user (the old password `Clave-Anterior-77`).
final class SOIFixture: Sendable {
    let directory: TemporaryDirectory
    let database: Database
    let clock = ManualClock(start: Date(timeIntervalSince1970: 1_790_000_000))
    let recovery: SOIRecovery
    /// The limits the routes layer would spend (tests pass `spendLimit` closures over it).
    let limiter: RateLimiter
    let hasher = PasswordHasher(cost: .testing)
    let user: User
    static let publicURL = "https://soi.clave.example.co/"
    static let oldPassword = "Clave-Anterior-77"
    static let aportante = "NIT:900123456-8"
    static let usuario = "CC:1020304050"
    static let email = "contador@example.com"

    init(configuration: SOIRecoveryConfiguration = SOIRecoveryConfiguration(publicURL: SOIFixture.publicURL),
         limits: RateLimitPolicy = RateLimitPolicy()) throws {
        directory = try TemporaryDirectory(prefix: "clave-soi")
        database = try TestStore.open(in: directory)
        _ = try database.migrate()
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"),
                                        options: TemplateOptions(strict: true))
        let common = try CommonPasswordList.shared(resources: PackagePaths.resources.path)
        recovery = SOIRecovery(database: database, hasher: hasher, verifier: try PasswordVerifier(hasher: hasher),
                               mail: SOIRecoveryMail(composer: EmailComposer(templates: templates), configuration: configuration),
                               rules: SOIPasswordRules(commonPasswords: common), configuration: configuration, clock: clock)
        limiter = try RateLimiter(database: database, policy: limits, clock: clock)
        guard let address = EmailAddress(Self.email) else { throw SOIFixtureError.badEmail }
        let (hasher, clock) = (self.hasher, self.clock)
        user = try database.write { tx in try tx.users.createSOIUser(
            aportante: try Document(parsing: Self.aportante), aportanteName: "Andina S.A.S.",
            document: try Document(parsing: Self.usuario), email: address,
            passwordHash: try hasher.hash(Self.oldPassword), now: clock.now()) }
    }

    /// The five form fields for the fixture's user, with `overrides` applied.
    static func form(_ overrides: [String: String] = [:]) -> [String: String] {
        ["aportante_tipo": "NIT", "aportante_numero": "900123456-8", "usuario_tipo": "CC",
         "usuario_numero": "1020304050", "correo": email].merging(overrides) { $1 }
    }

    /// The checked request of `form(overrides)`.
    static func request(_ overrides: [String: String] = [:]) throws -> SOIRecoveryRequest {
        let fields = form(overrides)
        return try SOIRecoveryRequest.parse { fields[$0] }.get()
    }

    /// Every outbox row, oldest first.
    func outbox() throws -> [OutboxMessage] {
        try database.read { tx in try tx.outbox.list(states: nil, limit: 100) }.sorted { $0.id < $1.id }
    }

    /// The temporary password of the newest recovery email.
    func latestTemporaryPassword() throws -> String {
        guard let text = try outbox().last(where: { $0.subject == SOIRecoveryMail.temporaryPasswordSubject })?.textBody else {
            throw SOIFixtureError.noMail
        }
        return try Self.temporaryPassword(in: text)
    }

    /// The password after "Su clave temporal es: " in an email's text.
    static func temporaryPassword(in text: String) throws -> String {
        guard let range = text.range(of: "Su clave temporal es: ") else { throw SOIFixtureError.noMail }
        return String(text[range.upperBound...].prefix { !$0.isWhitespace })
    }

    func reloadUser() throws -> User {
        guard let user = try database.read({ tx in try tx.users.find(id: user.id) }) else { throw SOIFixtureError.noUser }
        return user
    }

    enum SOIFixtureError: Error { case badEmail, noMail, noUser }
}
