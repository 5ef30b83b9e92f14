import Foundation
import Testing
import TestSupport
@testable import UserStore

/// The server and `clave` share one file: a CLI write waits (busy timeout) for the server's open
/// transaction instead of failing, and the server sees the CLI's user at once.
@Suite struct SharedFileTests {
    @Test(.enabled(if: TestStore.isSQLite)) func cliWritesWhileAnotherProcessHoldsTheFile() throws {
        let store = try StoreFixture()
        let clave = PackagePaths.claveExecutable
        try #require(FileManager.default.isExecutableFile(atPath: clave.path), "build the package first")

        // Hold the write lock for a moment in this process, as a busy server would.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let database = store.database
        Thread {
            try? database.write { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 0.5)
            }
        }.start()
        holding.wait()
        let started = Date()
        let result = try ChildProcess.run(clave, ["users", "add", "--portal", "secop", "--username", "compartido",
                                                   "--email", "c@example.com", "--password-stdin", "--db", store.path],
                                           input: "Clave-Compartida-1\n", environment: ["CLAVE_LOG_LEVEL": "warning"])
        release.signal()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Date().timeIntervalSince(started) >= 0.4, "the CLI waited for the lock rather than failing")
        let user = try store.database.read { tx in try tx.users.findSecop(username: "compartido") }
        #expect(user?.email == "c@example.com")
        #expect(try PasswordVerifier(hasher: .init()).check("Clave-Compartida-1", for: user, now: Date()) == .current)
    }
}
