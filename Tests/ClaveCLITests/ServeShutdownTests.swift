import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// `clave serve` stops gracefully on SIGTERM from the very first moment, on a new database too:
/// the signals are blocked before any thread starts (the log writer's starts with the first
/// line the migrations log), so no thread keeps the default action that would kill the process.
@Suite("clave serve: SIGTERM is graceful on a first start too")
struct ServeShutdownTests {
    /// Whether `pid`'s main thread has SIGTERM (signal 15, bit 14) blocked, from `/proc`.
    static func blocksSIGTERM(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << 14) != 0
    }

    /// `clave serve` on a new file, started as a shell starts it: with SIGTERM and SIGINT not
    /// blocked. (A child inherits its parent thread's mask, and this test process blocks them
    /// wherever an in-process server test started a `SignalWatcher`.)
    static func serve(_ directory: TemporaryDirectory) throws -> ChildProcess {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        return try ChildProcess(PackagePaths.claveExecutable,
                         ["serve", "--db", directory.path("nueva.sqlite"), "--resources", PackagePaths.resources.path],
                         environment: ["CLAVE_PORT": "0", "CLAVE_LOG_LEVEL": "info", "CLAVE_ACCESS_LOG": "on"])
    }

    @Test("a SIGTERM while a new database is being migrated ends the process with 0, not by the signal")
    func sigtermDuringTheFirstStart() throws {
        let directory = try TemporaryDirectory(prefix: "serve-first-start")
        let server = try Self.serve(directory)
        // The signal comes as soon as the file exists: the migrations are under way, before
        // the server, the watcher or the banner.
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: directory.path("nueva.sqlite")), server.isRunning, Date() < deadline {
            usleep(100)
        }
        #expect(Self.blocksSIGTERM(server.processIdentifier), "SIGTERM is blocked before the database is opened")
        server.terminate()
        let result = server.wait()
        #expect(!result.endedBySignal, "killed by the signal: \(result.standardError)")
        #expect(result.status == 0, "\(result.standardError)")
    }

    @Test("SIGTERM with requests in flight on a new database: every request is answered, exit 0")
    func sigtermWithRequestsInFlight() throws {
        let directory = try TemporaryDirectory(prefix: "serve-in-flight")
        let server = try Self.serve(directory)
        let line = server.firstLine() ?? ""
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "no URL in '\(line)'")
        // Six forgot-password requests, each on its own connection, every byte sent before the
        // signal. Each is held for the uniform-timing floor (about 250 ms), so the signal finds
        // them in flight: read, queued, being answered, or not even accepted yet.
        let clients = try (0..<6).map { index in
            let browser = WebClient(port: port)
            let page = try browser.get("/secop/olvide-contrasena")
            let body = WebClient.formEncode([("csrf", try page.csrfToken()), ("usuario", "persona.\(index)")])
            let cookies = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let client = try RawHTTPClient(port: port, timeout: 30)
            try client.send("POST /secop/olvide-contrasena HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: \(cookies)\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return client
        }
        server.terminate()
        let statuses = clients.map { client in (try? client.readResponse())?.status ?? 0 }
        let result = server.wait()
        #expect(statuses == Array(repeating: 200, count: 6), "\(result.standardError)")
        #expect(!result.endedBySignal)
        #expect(result.status == 0)
        #expect(result.standardError.contains("msg=\"shutting down\" signal=15"))
    }
}
