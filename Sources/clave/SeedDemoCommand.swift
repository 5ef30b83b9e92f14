import ClaveCrypto
import Foundation
import UserStore

/// `clave seed-demo`: the demo accounts of the three portals, for development and tests.
///
/// Idempotent: an account that exists is left as it is (its password too) and reported.
struct SeedDemoCommand: Command {
    static let name = "seed-demo"
    static let summary = "Create the demo users of the three portals (idempotent)"
    static let usage = """
    Usage: clave seed-demo [--db FILE]

    Creates, if missing, one demo account per portal (and a second SECOP II account sharing an
    email, for "forgot user name"), and prints them with their demo passwords. Existing
    accounts are left untouched. The passwords are fixed and public (README): development only.

    Options:
      --db FILE   the SQLite file (env CLAVE_DB; default \(DBCommand.defaultPath))
    """

    /// A demo account and its fixed password. Passwords meet Cajacopi's policy: 8+ characters,
    /// upper and lower case, a digit, and none of the account's own data.
    struct DemoAccount {
        let portal: Portal
        let login: String
        let password: String
        let user: NewUser
        let aportante: (document: Document, name: String)?
    }

    static func demoAccounts() throws -> [DemoAccount] {
        func email(_ text: String) throws -> EmailAddress {
            guard let address = EmailAddress(text) else { throw CLIError("bad demo email \(text)", status: 1) }
            return address
        }
        let company = try Document(parsing: "NIT:900123456-8")
        let soiUser = try Document(parsing: "CC:1020304050")
        return [
            DemoAccount(portal: .soi, login: "NIT 900123456-8 / CC 1020304050", password: "Soi-Demo-2026",
                        user: try NewUser(portal: .soi, document: soiUser, aportanteID: 0, email: email("usuario.soi@example.com")),
                        aportante: (company, "Comercializadora Demo S.A.S.")),
            DemoAccount(portal: .secop, login: "demo.secop", password: "Secop-Demo-2026",
                        user: try NewUser(portal: .secop, username: "demo.secop", email: email("compras@example.com")),
                        aportante: nil),
            DemoAccount(portal: .secop, login: "demo.secop.contratos", password: "Secop-Demo-2026",
                        user: try NewUser(portal: .secop, username: "demo.secop.contratos", email: email("compras@example.com")),
                        aportante: nil),
            DemoAccount(portal: .cajacopi, login: "afiliado@example.com", password: "Cajacopi-Demo-2026",
                        user: try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:1122334455"),
                                          email: email("afiliado@example.com"), phone: "3001234567",
                                          birthDate: CalendarDate("1990-05-17")),
                        aportante: nil),
        ]
    }

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let path = arguments.option("db") ?? DBCommand.defaultPath
        try arguments.finish()
        let results = try seed(try DBCommand.open(path))
        print("Demo users in \(path):")
        print(table(results))
        return 0
    }

    /// Ensures every demo account exists; returns each with whether it was created now. Also
    /// what `clave serve --mode development` calls at start.
    static func seed(_ database: Database, hasher: PasswordHasher = PasswordHasher(), now: Date = Date()) throws
        -> [(account: DemoAccount, created: Bool)] {
        try demoAccounts().map { account in
            (account, try UsersCommand.storeErrors { try ensure(account, database: database, hasher: hasher, now: now) })
        }
    }

    /// The accounts as a table with their demo passwords, for standard output.
    static func table(_ results: [(account: DemoAccount, created: Bool)]) -> String {
        var lines = [UsersCommand.pad("PORTAL", 10) + UsersCommand.pad("LOGIN", 36) + UsersCommand.pad("PASSWORD", 20) + "STATUS"]
        for (account, created) in results {
            lines.append(UsersCommand.pad(account.portal.displayName, 10) + UsersCommand.pad(account.login, 36)
                         + UsersCommand.pad(account.password, 20) + (created ? "created" : "already present (left unchanged)"))
        }
        return lines.joined(separator: "\n")
    }

    /// Creates the account unless it exists; returns whether it was created. The look-up and
    /// the insert are separate transactions so that the slow hash in between holds no lock.
    static func ensure(_ account: DemoAccount, database: Database, hasher: PasswordHasher, now: Date) throws -> Bool {
        let user = account.user
        let exists = try database.read { tx -> Bool in
            switch user.portal {
            case .secop:
                return try tx.users.findSecop(username: user.username ?? "") != nil
            case .cajacopi:
                return try tx.users.findCajacopi(email: user.email.value) != nil
            case .soi:
                guard let aportante = account.aportante, let document = user.document else { return false }
                return try tx.users.findSOI(aportante: aportante.document, user: document) != nil
            }
        }
        if exists { return false }
        let hash = try hasher.hash(account.password)
        do {
            try database.write { tx in
                if user.portal == .soi, let aportante = account.aportante, let document = user.document {
                    _ = try tx.users.createSOIUser(aportante: aportante.document, aportanteName: aportante.name, document: document,
                                                   email: user.email, passwordHash: hash, now: now)
                } else {
                    _ = try tx.users.create(user, passwordHash: hash, now: now)
                }
            }
            return true
        } catch let error as StoreError where error.isDuplicate {
            // Another process seeded the same account between the check and the insert.
            return false
        }
    }
}
