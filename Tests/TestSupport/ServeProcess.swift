import Foundation

/// `clave serve ARGUMENTS` as its own process on a free port, for tests that drive the real
/// executable: it waits for the banner (whose first line names the URL) and knows the port.
public final class ServeProcess: @unchecked Sendable {
    public let process = Process()
    /// The port from the banner's first line.
    public let port: Int
    /// What the server printed up to (and including) `marker`, or its first line.
    public let banner: String
    private let output = Pipe()

    /// Starts `clave serve` with `arguments` (add `--port 0`), logging at `warning`, and reads
    /// standard output until `marker` (default: the end of the first line).
    public init(_ arguments: [String], until marker: String = "\n") throws {
        process.executableURL = PackagePaths.claveExecutable
        process.arguments = ["serve"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CLAVE_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        banner = text
        let firstLine = text.prefix { $0 != "\n" }
        guard let port = firstLine.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            process.terminate()
            throw ServeProcessError(banner: text)
        }
        self.port = port
    }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// `clave serve` printed no URL line.
public struct ServeProcessError: Error, CustomStringConvertible {
    public let banner: String
    public var description: String { "clave serve did not print its URL; it printed: \(banner)" }
}
