import Foundation

/// A real SMTP server for tests: `Tests/peers/smtp_peer.py` (aiosmtpd) run from the package's
/// venv as a subprocess on 127.0.0.1, port chosen by the kernel.
///
/// Received messages land in the peer's folder, which the test reads; faults (421, 451, 550,
/// a dropped connection) are queued through a file. The process is killed when the peer is
/// stopped or released.
public final class SMTPPeer: @unchecked Sendable {
    /// How the peer is started.
    public struct Options: Sendable {
        /// A certificate and key to offer STARTTLS (or implicit TLS) with; nil for plain SMTP.
        public var certificate: TestCertificate?
        /// Wrap the listening socket in TLS (smtps) instead of offering STARTTLS.
        public var implicitTLS: Bool
        /// The one user that may log in (AUTH is then required), or nil for no AUTH.
        public var credentials: (user: String, password: String)?
        /// The SIZE the peer announces and enforces.
        public var sizeLimit: Int
        /// The port to listen on; 0 lets the kernel choose. A peer restarted on the port of
        /// a stopped one simulates a mail server coming back after an outage.
        public var port: Int
        /// AUTH mechanisms not to offer (`PLAIN`, `LOGIN`).
        public var excludedMechanisms: [String] = []
        /// Refuse EHLO with 502, like a server from before ESMTP.
        public var refusesEHLO = false

        public init(certificate: TestCertificate? = nil, implicitTLS: Bool = false,
                    credentials: (user: String, password: String)? = nil, sizeLimit: Int = 33_554_432, port: Int = 0) {
            self.port = port
            self.certificate = certificate
            self.implicitTLS = implicitTLS
            self.credentials = credentials
            self.sizeLimit = sizeLimit
        }
    }

    /// A message the peer accepted.
    public struct Received: Sendable {
        public var raw: Data
        public var mailFrom: String
        public var recipients: [String]
        public var mailOptions: [String]
        public var overTLS: Bool
        public var text: String { String(decoding: raw, as: UTF8.self) }
    }

    public let port: Int
    public let directory: TemporaryDirectory
    private let process: ChildProcess

    /// The venv's python: `CLAVE_VENV`, else `<package root>/.venv`.
    public static var python: String {
        let venv = ProcessInfo.processInfo.environment["CLAVE_VENV"].flatMap { $0.isEmpty ? nil : $0 }
            ?? PackagePaths.root.appendingPathComponent(".venv").path
        return venv + "/bin/python"
    }

    /// Whether `make test` demands real peers (`CLAVE_REQUIRE_REAL_PEERS=1`).
    public static var required: Bool { ProcessInfo.processInfo.environment["CLAVE_REQUIRE_REAL_PEERS"] == "1" }

    /// Whether the venv holds aiosmtpd (checked once).
    public static let isInstalled: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let probe = try? ChildProcess.run(URL(fileURLWithPath: python), ["-c", "import aiosmtpd, dkim"], timeout: 60)
        return probe?.status == 0
    }()

    /// Tests that need the peer run when it is installed, and also when it is required, so
    /// that a missing peer fails them (with `start`'s message) instead of skipping them.
    public static var shouldRun: Bool { isInstalled || required }

    /// Starts a peer and waits until it listens.
    public init(_ options: Options = Options()) throws {
        guard Self.isInstalled else {
            throw PeerError("aiosmtpd is not installed in \(Self.python); run `make deps` (bash scripts/deps.sh)")
        }
        directory = try TemporaryDirectory(prefix: "clave-smtp-peer")
        var arguments = [PackagePaths.root.appendingPathComponent("Tests/peers/smtp_peer.py").path,
                         "--dir", directory.url.path, "--size", String(options.sizeLimit),
                         "--port", String(options.port)]
        if let certificate = options.certificate {
            arguments += ["--cert", certificate.certificatePath, "--key", certificate.keyPath]
            if options.implicitTLS { arguments.append("--implicit-tls") }
        }
        for mechanism in options.excludedMechanisms { arguments += ["--exclude-auth", mechanism] }
        if options.refusesEHLO { arguments.append("--no-ehlo") }
        if let credentials = options.credentials {
            arguments += ["--user", credentials.user, "--password", credentials.password]
        }
        process = try ChildProcess(URL(fileURLWithPath: Self.python), arguments)
        guard let line = process.firstLine(timeout: 20), let port = Int(line) else {
            process.kill()
            throw PeerError("the SMTP peer did not start (no port printed)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Kills the server; connections to its port fail from now on.
    public func stop() {
        guard process.isRunning else { return }
        process.kill()
        process.wait()
    }

    /// Queues faults: each DATA takes the next of `ok`, `421`, `451`, `550`, `drop`, `slow`.
    public func queueFaults(_ faults: [String]) throws {
        try (faults.joined(separator: "\n") + "\n").write(toFile: directory.path("faults"), atomically: true, encoding: .utf8)
    }

    /// The messages accepted so far, in order.
    public func messages() -> [Received] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.url.path)) ?? [])
            .filter { $0.hasPrefix("msg-") && $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = directory.path(String(name.dropLast(4)))
            guard let raw = FileManager.default.contents(atPath: base + ".eml"),
                  let metaData = FileManager.default.contents(atPath: base + ".json"),
                  let meta = try? JSONSerialization.jsonObject(with: metaData) as? [String: Any] else { return nil }
            return Received(raw: raw, mailFrom: meta["mail_from"] as? String ?? "",
                            recipients: meta["rcpt_tos"] as? [String] ?? [],
                            mailOptions: meta["mail_options"] as? [String] ?? [],
                            overTLS: meta["tls"] as? Bool ?? false)
        }
    }

    /// Waits until at least `count` messages arrived or `timeout` passed; returns them.
    public func waitForMessages(_ count: Int, timeout: TimeInterval = 20) -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let received = messages()
            if received.count >= count || Date() > deadline { return received }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Each AUTH attempt as `MECHANISM tls=0|1`.
    public func authLog() -> [String] {
        let text = (try? String(contentsOfFile: directory.path("auth.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

}

/// Why a test peer could not be used.
public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A self-signed certificate and its key, made with the `openssl` command in a temporary folder.
public struct TestCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    /// A certificate for `localhost` and 127.0.0.1, valid for a day.
    public static func make(in directory: TemporaryDirectory, name: String = "server",
                            commonName: String = "localhost") throws -> TestCertificate {
        let certificate = directory.path("\(name).pem"), key = directory.path("\(name)-key.pem")
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                           "-subj", "/CN=\(commonName)",
                                           "-addext", "subjectAltName=DNS:\(commonName),IP:127.0.0.1",
                                           "-keyout", key, "-out", certificate])
        guard result.status == 0 else { throw PeerError("openssl req failed") }
        return TestCertificate(certificatePath: certificate, keyPath: key)
    }
}
