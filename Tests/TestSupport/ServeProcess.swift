import Foundation

/// `clave serve ARGUMENTS` as its own process (a ``ChildProcess``) on a free port, for tests that
/// drive the real executable: it waits for the banner (whose first line names the URL) and
/// knows the port.
public final class ServeProcess: @unchecked Sendable {
    public let child: ChildProcess
    /// The port from the banner's first line.
    public let port: Int
    /// What the server printed up to (and including) `marker`, or its first line.
    public let banner: String

    /// Starts `clave serve` with `arguments` (add `--port 0`), logging at `warning`, and reads
    /// standard output until `marker` (default: the end of the first line), for up to 60 s.
    /// `environment` entries are added (and may set `CLAVE_LOG_LEVEL`, to read the access log).
    public init(_ arguments: [String], until marker: String = "\n", environment: [String: String] = [:]) throws {
        child = try ChildProcess(PackagePaths.claveExecutable, ["serve"] + arguments,
                                 environment: ["CLAVE_LOG_LEVEL": "warning"].merging(environment) { $1 })
        let text = child.waitForOutput(containing: marker, timeout: 60) ?? child.standardOutput
        banner = text
        let firstLine = text.prefix { $0 != "\n" }
        guard let port = firstLine.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            child.kill()
            throw ServeProcessError(banner: text)
        }
        self.port = port
    }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        child.terminate()
        return child.wait().status
    }
}

/// `clave serve` printed no URL line.
public struct ServeProcessError: Error, CustomStringConvertible {
    public let banner: String
    public var description: String { "clave serve did not print its URL; it printed: \(banner)" }
}
