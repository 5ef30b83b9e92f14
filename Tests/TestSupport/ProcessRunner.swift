import Foundation

/// Runs an executable to completion with optional standard input, capturing standard output,
/// standard error and the exit status: how the CLI tests drive the built `clave`.
///
/// ```swift
/// let result = try ProcessRunner.run(PackagePaths.claveExecutable, ["users", "list", "--db", path])
/// #expect(result.status == 0)
/// ```
public enum ProcessRunner {
    /// What a finished process left behind.
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `executable` with `arguments`, writing `input` to its standard input (then closing
    /// it), and waits for it to exit. `environment` entries are added to the current ones.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                           environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        // Read both pipes on their own threads so a chatty child never blocks on a full pipe.
        let output = PipeReader(stdoutPipe.fileHandleForReading)
        let errors = PipeReader(stderrPipe.fileHandleForReading)
        if let input { stdinPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdinPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: output.finish(), standardError: errors.finish())
    }
}

/// Drains a pipe on a background thread.
final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func finish() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
