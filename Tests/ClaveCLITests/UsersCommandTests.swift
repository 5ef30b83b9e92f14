import Foundation
import Testing
import TestSupport

/// Runs the built `clave` against a database in a fresh temporary folder.
struct CLI {
    let directory: TemporaryDirectory
    var database: String { directory.path("clave.sqlite") }

    init() throws { directory = try TemporaryDirectory(prefix: "clave-cli") }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> ChildProcess.Result {
        try ChildProcess.run(PackagePaths.claveExecutable, arguments + ["--db", database], input: input,
                              environment: ["CLAVE_LOG_LEVEL": "warning"])
    }

    /// `users list` rows (header dropped).
    func listedLogins(_ extra: [String] = []) throws -> [String] {
        let result = try run(["users", "list"] + extra)
        return result.standardOutput.split(separator: "\n").dropFirst().filter { $0 != "(no users)" }.map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) ?? ""
        }
    }
}

@Suite struct UsersCommandTests {
    @Test func addSecopUserWithPasswordFromStandardInput() throws {
        let cli = try CLI()
        let added = try cli.run(["users", "add", "--portal", "secop", "--username", "ana.perez", "--email", "Ana@Example.com",
                                 "--password-stdin"], input: "Clave-Secreta-2026\n")
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("Created user 1 on SECOP II: ana.perez <Ana@example.com>"))
        #expect(!added.standardOutput.contains("Clave-Secreta-2026"), "a password from stdin is never echoed")
        #expect(try cli.listedLogins() == ["ana.perez"])
        let shown = try cli.run(["users", "show", "1"])
        #expect(shown.status == 0)
        #expect(shown.standardOutput.contains("username:           ana.perez"))
        #expect(shown.standardOutput.contains("scrypt ln=14,r=8,p=5"))
        #expect(!shown.standardOutput.contains("$scrypt$"), "the hash itself is not printed")
    }

    @Test func passwordFlagMayComeLastOrFirst() throws {
        let cli = try CLI()
        let last = try ChildProcess.run(PackagePaths.claveExecutable,
                                         ["users", "add", "--db", cli.database, "--portal", "secop", "--username", "ultimo",
                                          "--email", "u@example.com", "--password-stdin"],
                                         input: "Clave-Al-Final-1\n", environment: ["CLAVE_LOG_LEVEL": "warning"])
        #expect(last.status == 0, "\(last.standardError)")
        let first = try cli.run(["users", "add", "--password-stdin", "--portal", "secop", "--username", "primero", "--email", "p@example.com"],
                                input: "Clave-Al-Inicio-1\n")
        #expect(first.status == 0, "\(first.standardError)")
        #expect(try cli.listedLogins() == ["ultimo", "primero"])
    }

    @Test func generatedPasswordIsPrintedOnceAndMeetsThePolicy() throws {
        let cli = try CLI()
        let added = try cli.run(["users", "add", "--portal", "cajacopi", "--email", "luz@example.com", "--document", "CC:52111222",
                                 "--phone", "3015550000", "--birth-date", "1988-11-30"])
        #expect(added.status == 0, "\(added.standardError)")
        let line = try #require(added.standardOutput.split(separator: "\n").first { $0.hasPrefix("Password (shown once") })
        let password = String(line.split(separator: " ").last ?? "")
        #expect(password.count == 14)
        #expect(password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase) && password.contains(where: \.isNumber))
        #expect(try cli.run(["users", "list"]).standardOutput.contains(password) == false)
    }

    @Test func soiUserNeedsAnAportanteAndCanCreateIt() throws {
        let cli = try CLI()
        let missing = try cli.run(["users", "add", "--portal", "soi", "--aportante", "NIT:900123456-8", "--document", "CC:1234567",
                                   "--email", "soi@example.com"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("does not exist; give --aportante-name"))
        let created = try cli.run(["users", "add", "--portal", "soi", "--aportante", "NIT:900123456-8", "--aportante-name", "Andina S.A.S.",
                                   "--document", "CC:1234567", "--email", "soi@example.com"])
        #expect(created.status == 0, "\(created.standardError)")
        let shown = try cli.run(["users", "show", "1"])
        #expect(shown.standardOutput.contains("NIT 900123456-8 (Andina S.A.S.)"))
        #expect(shown.standardOutput.contains("CC 1234567 (Cédula de ciudadanía)"))
    }

    @Test(arguments: [
        (["users", "add", "--portal", "bogota", "--email", "a@example.com"], "unknown portal 'bogota'"),
        (["users", "add", "--portal", "secop", "--email", "not-an-email", "--username", "x123"], "invalid email address"),
        (["users", "add", "--portal", "secop", "--username", "x123"], "--email is required"),
        (["users", "add", "--portal", "cajacopi", "--email", "a@example.com", "--document", "CC:12ab", "--phone", "3001234567",
          "--birth-date", "1990-01-01"], "invalid CC number"),
        (["users", "add", "--portal", "cajacopi", "--email", "a@example.com", "--document", "XX:1234", "--phone", "3001234567",
          "--birth-date", "1990-01-01"], "unknown document type 'XX'"),
        (["users", "add", "--portal", "cajacopi", "--email", "a@example.com", "--document", "CC:123456", "--phone", "3001234567",
          "--birth-date", "1990-02-30"], "invalid birth date"),
        (["users", "add", "--portal", "soi", "--aportante", "NIT:900123456-1", "--document", "CC:123456", "--email", "a@example.com"],
         "check digit"),
        (["users", "add", "--portal", "secop", "--username", "x123", "--email", "a@example.com", "--bogus", "1"], "unknown option --bogus"),
        (["users", "frobnicate"], "unknown action 'frobnicate'"),
    ])
    func badInputIsOneLineNonZeroAndWritesNothing(_ arguments: [String], _ message: String) throws {
        let cli = try CLI()
        let result = try cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "one line: \(result.standardError)")
        // Input is checked before the database is opened: not even the file is created.
        #expect(!FileManager.default.fileExists(atPath: cli.database))
        #expect(try cli.run(["users", "list"]).standardOutput.contains("(no users)"))
    }

    @Test func duplicateUserIsRefusedAndTheFirstIsKept() throws {
        let cli = try CLI()
        let first = try cli.run(["users", "add", "--portal", "secop", "--username", "pedro", "--email", "p@example.com", "--password-stdin"],
                                input: "Primera-Clave-1\n")
        #expect(first.status == 0)
        let second = try cli.run(["users", "add", "--portal", "secop", "--username", "PEDRO", "--email", "q@example.com", "--password-stdin"],
                                 input: "Segunda-Clave-2\n")
        #expect(second.status == 1)
        #expect(second.standardError == "clave users: duplicate user: a SECOP II user named 'PEDRO' already exists\n")
        #expect(try cli.listedLogins() == ["pedro"])
        // A duplicate SOI user must not leave its new aportante behind either.
        _ = try cli.run(["users", "add", "--portal", "soi", "--aportante", "NIT:800111222", "--aportante-name", "Uno", "--document",
                         "CC:555555", "--email", "s@example.com"])
        let dup = try cli.run(["users", "add", "--portal", "soi", "--aportante", "NIT:800111222", "--document", "CC:555555",
                               "--email", "t@example.com"])
        #expect(dup.status == 1 && dup.standardError.contains("duplicate user"))
    }

    @Test func shortPasswordOnStandardInputIsRefused() throws {
        let cli = try CLI()
        let result = try cli.run(["users", "add", "--portal", "secop", "--username", "corto", "--email", "c@example.com", "--password-stdin"],
                                 input: "abc\n")
        #expect(result.status != 0)
        #expect(result.standardError.contains("at least 8 characters"))
    }

    @Test func lockAndUnlock() throws {
        let cli = try CLI()
        _ = try cli.run(["users", "add", "--portal", "secop", "--username", "bloq", "--email", "b@example.com"])
        #expect(try cli.run(["users", "lock", "1", "--minutes", "30"]).standardOutput.contains("User 1 locked until"))
        #expect(try cli.run(["users", "list"]).standardOutput.contains("locked until"))
        #expect(try cli.run(["users", "unlock", "1"]).status == 0)
        #expect(try cli.run(["users", "show", "1"]).standardOutput.contains("state:              active"))
        #expect(try cli.run(["users", "lock", "1"]).standardOutput.contains("until unlocked"))
        let missing = try cli.run(["users", "lock", "99"])
        #expect(missing.status == 1 && missing.standardError.contains("no user with id 99"))
        #expect(try cli.run(["users", "show", "abc"]).status == 2)
        let zero = try cli.run(["users", "lock", "1", "--minutes", "0"])
        #expect(zero.status == 2 && zero.standardError.contains("--minutes must be a whole number from 1"))
    }

    @Test func helpIsAvailable() throws {
        let cli = try CLI()
        let help = try cli.run(["users", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("clave users add --portal soi"))
    }
}
