import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real nginx in front of a server under test: Debian's `nginx` started unprivileged from
/// the test (one process, `master_process off`, every path inside its own folder), listening on
/// a free loopback port and proxying to `upstreamPort` with the proxy headers the README gives.
///
/// Like ``SMTPPeer``: tests that need it run when nginx is installed, and also when
/// `CLAVE_REQUIRE_REAL_PEERS=1` (`make test`), so a missing nginx fails them instead of skipping.
public final class NginxPeer: @unchecked Sendable {
    /// The port nginx listens on (127.0.0.1).
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: ChildProcess

    /// The nginx binary: on `PATH`, or Debian's `/usr/sbin/nginx` (not on a normal user's `PATH`).
    public static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/nginx" } + ["/usr/sbin/nginx"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether the nginx tests run (installed, or required so that their absence fails).
    public static var shouldRun: Bool { executable != nil || SMTPPeer.required }

    /// The `location` block the README documents for Clave behind nginx.
    public static func proxyLocation(upstreamPort: Int) -> String {
        """
            location / {
                proxy_pass http://127.0.0.1:\(upstreamPort);
                proxy_set_header Host $host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_set_header Forwarded "";
            }
        """
    }

    /// Starts nginx proxying to `127.0.0.1:upstreamPort` and waits until it accepts connections.
    public init(upstreamPort: Int) throws {
        guard let executable = Self.executable else {
            throw PeerError("nginx is not installed; run `make deps` (bash scripts/deps.sh installs nginx-light)")
        }
        directory = try TemporaryDirectory(prefix: "clave-nginx")
        port = try Self.freePort()
        let dir = directory.url.path
        let configuration = """
            master_process off;
            worker_processes 1;
            error_log \(dir)/error.log warn;
            pid \(dir)/nginx.pid;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                server {
                    listen 127.0.0.1:\(port);
            \(Self.proxyLocation(upstreamPort: upstreamPort))
                }
            }
            """
        let file = directory.path("nginx.conf")
        try configuration.write(toFile: file, atomically: true, encoding: .utf8)
        process = try ChildProcess(URL(fileURLWithPath: executable), ["-p", dir, "-c", file, "-g", "daemon off;"])
        for _ in 0..<200 {
            if let client = try? RawHTTPClient(port: port) {
                client.close()
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        let log = (try? String(contentsOfFile: directory.path("error.log"), encoding: .utf8)) ?? ""
        process.kill()
        throw PeerError("nginx did not start: \(process.standardError) \(log)")
    }

    deinit { process.kill() }

    /// A port the kernel says is free now (bound to port 0, then released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PeerError("socket failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw PeerError("bind failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
