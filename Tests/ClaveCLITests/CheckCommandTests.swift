import Foundation
import Testing
import TestSupport

/// `clave check` as an operator runs it: a production configuration against a real SMTP
/// server (aiosmtpd with STARTTLS and AUTH), then each fault on its own.
@Suite("clave check", .enabled(if: SMTPPeer.shouldRun))
struct CheckCommandTests {
    static let user = "clave"
    static let password = "s3cr3t:ñ"

    /// A good production configuration: a STARTTLS+AUTH peer, a 2048-bit DKIM key, a database
    /// path in a fresh folder. `flags` are the `clave check` words.
    final class Deployment: @unchecked Sendable {
        let folder: TemporaryDirectory
        let peer: SMTPPeer
        let certificate: TestCertificate
        let keyPath: String
        var databasePath: String
        var smtpPassword = CheckCommandTests.password
        var smtpPort: Int

        init() throws {
            folder = try TemporaryDirectory(prefix: "clave-check")
            certificate = try TestCertificate.make(in: folder)
            peer = try SMTPPeer(SMTPPeer.Options(certificate: certificate, credentials: (CheckCommandTests.user, CheckCommandTests.password)))
            smtpPort = peer.port
            keyPath = folder.path("dkim.pem")
            let made = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath])
            try #require(made.status == 0, "\(made.standardError)")
            databasePath = folder.path("clave.sqlite")
        }

        var flags: [String] {
            let password = smtpPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return ["check", "--mode", "production", "--db", databasePath, "--resources", PackagePaths.resources.path,
                    "--public-url", "https://clave.test",
                    "--smtp-url", "smtp://\(CheckCommandTests.user):\(password)@127.0.0.1:\(smtpPort)?ca=\(certificate.certificatePath)",
                    "--mail-domain", "clave.test", "--ehlo-name", "mail.clave.test",
                    "--dkim-domain", "clave.test", "--dkim-selector", "s2026", "--dkim-key", keyPath]
        }

        func check(_ extra: [String] = []) throws -> ChildProcess.Result {
            try ChildProcess.run(PackagePaths.claveExecutable, flags + extra, environment: ["CLAVE_LOG_LEVEL": "warning"])
        }

        func migratedDatabase() throws {
            let migrate = try ChildProcess.run(PackagePaths.claveExecutable, ["db", "migrate", "--db", databasePath],
                                               environment: ["CLAVE_LOG_LEVEL": "warning"])
            try #require(migrate.status == 0, "\(migrate.standardError)")
        }
    }

    /// The line of `check`'s output for check `name`.
    static func line(_ output: String, _ name: String) -> String {
        output.split(separator: "\n").first { $0.dropFirst(5).hasPrefix(name + ":") }.map(String.init) ?? ""
    }

    /// Runs `deployment`'s check, which must exit 1 with check `name` failed; returns its line.
    static func failedLine(_ deployment: Deployment, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let run = try deployment.check()
        #expect(run.status == 1, sourceLocation: sourceLocation)
        let line = Self.line(run.standardOutput, name)
        #expect(line.hasPrefix("FAIL \(name): "), "\(run.standardOutput)", sourceLocation: sourceLocation)
        return line
    }

    @Test func aGoodConfigurationPassesEveryCheckAndPrintsTheTXTRecord() throws {
        let deployment = try Deployment()
        let run = try deployment.check()
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.filter { !$0.hasPrefix("     ") }.map { String($0.prefix(5)) } == ["ok   ", "ok   ", "ok   ", "ok   "],
                "\(run.standardOutput)")
        #expect(Self.line(run.standardOutput, "settings").contains("production mode, public URL https://clave.test"))
        #expect(Self.line(run.standardOutput, "database").contains("does not exist yet; serve creates it and migrates 0→"))
        #expect(Self.line(run.standardOutput, "dkim").contains("2048-bit RSA key for s2026._domainkey.clave.test"))
        let smtp = Self.line(run.standardOutput, "smtp")
        #expect(smtp.contains("EHLO mail.clave.test, STARTTLS, AUTH accepted"), "\(smtp)")
        #expect(!run.standardOutput.contains(Self.password) && !run.standardOutput.contains("s3cr3t"))
        #expect(deployment.peer.authLog().contains { $0.hasSuffix("tls=1") }, "\(deployment.peer.authLog())")
        #expect(deployment.peer.messages().isEmpty)

        let record = try #require(lines.first { $0.hasPrefix("     ") })
        #expect(record.hasPrefix("     s2026._domainkey.clave.test TXT \"v=DKIM1; k=rsa; p=MII"), "\(record)")
        #expect(record.hasSuffix("\""))
        // The p= value is the key's SubjectPublicKeyInfo, as openssl derives it.
        let derived = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl", "pkey", "-in", deployment.keyPath, "-pubout"])
        let publicKey = derived.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        #expect(publicKey.count > 300)
        #expect(record.hasSuffix("p=\(publicKey)\""), "\(record)")
        // Checking changed nothing: the database file was not created.
        #expect(!FileManager.default.fileExists(atPath: deployment.databasePath))
    }

    @Test func aCurrentDatabaseIsReportedAndLeftAsItWas() throws {
        let deployment = try Deployment()
        try deployment.migratedDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: deployment.databasePath))
        let run = try deployment.check()
        #expect(run.status == 0, "\(run.standardOutput)")
        #expect(Self.line(run.standardOutput, "database").contains("opens for writing, schema version"), "\(run.standardOutput)")
        #expect(Self.line(run.standardOutput, "database").contains("(current)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: deployment.databasePath)) == before)
    }

    @Test func aWrongSMTPPasswordFailsTheSMTPCheckWithTheServersReply() throws {
        let deployment = try Deployment()
        deployment.smtpPassword = "otra-clave"
        let run = try deployment.check()
        #expect(run.status == 1)
        let smtp = Self.line(run.standardOutput, "smtp")
        #expect(smtp.hasPrefix("FAIL smtp: smtp://clave:***@127.0.0.1:"), "\(run.standardOutput)")
        #expect(smtp.contains("535"), "\(smtp)")
        #expect(smtp.contains("check the user and password"), "\(smtp)")
        #expect(!run.standardOutput.contains("otra-clave"))
        #expect(Self.line(run.standardOutput, "dkim").hasPrefix("ok   "))
    }

    @Test func nothingListeningOnTheSMTPPortFailsTheSMTPCheck() throws {
        let deployment = try Deployment()
        deployment.peer.stop()
        let smtp = try Self.failedLine(deployment, "smtp")
        #expect(smtp.contains("Connection refused") && smtp.contains("is the server running"), "\(smtp)")
    }

    @Test func aDKIMKeyFileThatIsNotAKeyFailsTheDKIMCheck() throws {
        let deployment = try Deployment()
        try "-----BEGIN PRIVATE KEY-----\nno es una clave\n-----END PRIVATE KEY-----\n"
            .write(toFile: deployment.keyPath, atomically: true, encoding: .utf8)
        let run = try deployment.check()
        #expect(run.status == 1)
        let dkim = Self.line(run.standardOutput, "dkim")
        #expect(dkim == "FAIL dkim: --dkim-key \(deployment.keyPath) is not usable: not a PEM private key; give a PEM RSA private key of 2048 bits",
                "\(run.standardOutput)")
        #expect(!run.standardOutput.contains("v=DKIM1"))
        #expect(Self.line(run.standardOutput, "smtp").hasPrefix("ok   "), "the other checks still run: \(run.standardOutput)")
    }

    @Test func aDatabaseInAMissingFolderFailsTheDatabaseCheck() throws {
        let deployment = try Deployment()
        deployment.databasePath = deployment.folder.path("no-existe/clave.sqlite")
        let database = try Self.failedLine(deployment, "database")
        #expect(database.contains("no-existe does not exist") && database.contains("create the folder"), "\(database)")
        #expect(!FileManager.default.fileExists(atPath: deployment.folder.path("no-existe")))
    }

    @Test func aDatabaseInAReadOnlyFolderFailsTheDatabaseCheck() throws {
        let deployment = try Deployment()
        // Root writes into any folder whatever its mode; /proc takes no new files from anyone.
        if getuid() == 0 {
            deployment.databasePath = "/proc/clave.sqlite"
        } else {
            let folder = deployment.folder.path("solo-lectura")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
            deployment.databasePath = folder + "/clave.sqlite"
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: deployment.folder.path("solo-lectura")) }
        let database = try Self.failedLine(deployment, "database")
        #expect(database.contains("does not take new files") && database.contains("write access"), "\(database)")
    }

    @Test func aDatabaseNewerThanThisBuildFailsTheDatabaseCheck() throws {
        let deployment = try Deployment()
        try deployment.migratedDatabase()
        let bump = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                        ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=999'); c.commit()",
                                         deployment.databasePath])
        try #require(bump.status == 0, "\(bump.standardError)")
        let database = try Self.failedLine(deployment, "database")
        #expect(database.contains("schema version 999, newer than") && database.contains("restore a backup"), "\(database)")
    }

    @Test func settingsServeWouldRefuseFailTheSettingsCheck() throws {
        let deployment = try Deployment()
        let run = try deployment.check(["--smtp-url", "smtp+plain://mail.example.co:25"])
        #expect(run.status == 1)
        #expect(run.standardOutput.hasPrefix("FAIL settings: production mode refuses plaintext SMTP to mail.example.co"), "\(run.standardOutput)")
    }

    @Test func unusableArgumentsExitWithStatus2() throws {
        let deployment = try Deployment()
        let run = try deployment.check(["--no-such-option", "x"])
        #expect(run.status == 2)
        #expect(run.standardError == "clave check: unknown option --no-such-option\n", "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }
}

/// `clave check --help` and the commands list need no peer.
@Suite struct CheckCommandHelpTests {
    @Test func helpNamesEveryCheckAndTheSkippedTLSCheck() throws {
        let run = try ChildProcess.run(PackagePaths.claveExecutable, ["check", "--help"])
        #expect(run.status == 0)
        for word in ["settings", "database", "dkim", "smtp", "needs migration", "--tls-cert", "clave serve --help"] {
            #expect(run.standardOutput.contains(word), "missing \(word)")
        }
        let list = try ChildProcess.run(PackagePaths.claveExecutable, ["--help"])
        #expect(list.standardOutput.contains("  check       "))
    }
}
