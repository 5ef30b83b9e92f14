import ClaveCrypto
import ClaveTime
import Foundation
import RecoveryFlows
import Synchronization
import Templates
import TestSupport
import UserStore

/// A migrated SQLite file in a fresh folder, the real templates and common-password list, and
/// a `SECOPRecovery` over them with a hand-moved clock.
final class SECOPFixture: Sendable {
    let directory: TemporaryDirectory
    let database: Database
    let clock = ManualClock(start: Date(timeIntervalSince1970: 1_790_000_000))
    let recovery: SECOPRecovery
    let hasher = PasswordHasher(cost: .testing)
    static let publicURL = "https://clave.example.co/"

    init() throws {
        directory = try TemporaryDirectory(prefix: "clave-secop")
        database = try TestStore.open(in: directory)
        _ = try database.migrate()
        let templates = try TemplateSet(directory: PackagePaths.resources.appendingPathComponent("templates"),
                                        options: TemplateOptions(strict: true))
        let policy = try SECOPFixture.policy()
        let clock = self.clock
        recovery = SECOPRecovery(database: database, composer: EmailComposer(templates: templates),
                                 hashPassword: { [hasher] in try hasher.hash($0) },
                                 policy: policy, configuration: SECOPRecoveryConfiguration(publicURL: Self.publicURL),
                                 clock: clock, logger: .init(label: "test", sink: .discard))
    }

    /// The policy with the real list, loaded once for every test.
    static func policy() throws -> SECOPPasswordPolicy {
        try SECOPPasswordPolicy(resources: PackagePaths.resources)
    }

    @discardableResult
    func addUser(_ username: String, email: String = "compras@example.com", password: String = "Vieja-Clave-2026") throws -> User {
        guard let address = EmailAddress(email) else { throw FixtureError.badEmail }
        return try database.write { tx in try tx.users.create(
            NewUser(portal: .secop, username: username, email: address), passwordHash: try hasher.hash(password), now: clock.now()) }
    }

    /// Every outbox row, oldest first.
    func outbox() throws -> [OutboxMessage] {
        try database.read { tx in try tx.outbox.list(states: nil, limit: 100) }.sorted { $0.id < $1.id }
    }

    /// The token in the newest reset email's link.
    func latestToken() throws -> String {
        guard let text = try outbox().last(where: { $0.subject == SECOPRecovery.resetSubject })?.textBody,
              let range = text.range(of: "token=") else { throw FixtureError.noLink }
        return String(text[range.upperBound...].prefix { !$0.isWhitespace })
    }

    /// `html` with the entities our template engine writes turned back into characters.
    static func unescaped(_ html: String) -> String {
        [("&#x2F;", "/"), ("&#x27;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&#61;", "="), ("&amp;", "&")]
            .reduce(html) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    enum FixtureError: Error { case badEmail, noLink }
}
