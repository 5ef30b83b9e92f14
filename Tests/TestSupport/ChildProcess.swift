import ClaveTime
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process a test starts: the tests' one launcher. It captures standard output and standard
/// error on their own threads (a chatty child never blocks on a full pipe), can wait for a
/// marker in the output, waits for exit with a timeout, and kills the child with SIGKILL when
/// released still running, so a failing test never leaves a server behind.
///
/// ```swift
/// let result = try ChildProcess.run(PackagePaths.claveExecutable, ["users", "list", "--db", path])
/// #expect(result.status == 0)
///
/// let server = try ChildProcess(PackagePaths.claveExecutable, ["serve", "--port", "0"])
/// let banner = server.waitForOutput(containing: "\n", timeout: 20)
/// server.terminate()
/// #expect(server.wait().status == 0)
/// ```
public final class ChildProcess: @unchecked Sendable {
    /// What a finished process left behind.
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        /// Whether a signal ended it (`status` is then the signal's number).
        public let endedBySignal: Bool
    }

    private let process = Process()
    private let output: PipeCollector
    private let errors: PipeCollector
    private let clock: any ClaveClock

    /// Starts `executable` with `arguments`; `environment` entries are added to the current
    /// ones. `input` is written to its standard input, which is then closed (always: a child
    /// waiting for input would hang the test).
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                clock: any ClaveClock = ClaveTime.SystemClock()) throws {
        self.clock = clock
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
        output = PipeCollector(stdoutPipe.fileHandleForReading)
        errors = PipeCollector(stderrPipe.fileHandleForReading)
        if let input { stdinPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Runs `executable` to completion (killed after `timeout` seconds) and returns its result.
    public static func run(_ executable: URL, _ arguments: [String], input: String? = nil,
                           environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Result {
        try ChildProcess(executable, arguments, environment: environment, input: input).wait(timeout: timeout)
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL, ...).
    public func send(_ signal: Int32) {
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
    }

    /// SIGTERM: the graceful stop.
    public func terminate() { send(SIGTERM) }

    /// SIGKILL: no clean-up at all.
    public func kill() { send(SIGKILL) }

    /// Standard output so far, once it contains `marker`; nil when the child closed its output
    /// or `timeout` seconds passed first.
    public func waitForOutput(containing marker: String, timeout: TimeInterval) -> String? {
        output.wait(until: { $0.contains(marker) }, deadline: deadline(timeout), clock: clock)
    }

    /// Whether standard error came to contain `marker` within `timeout` seconds (a log line).
    public func waitForError(containing marker: String, timeout: TimeInterval) -> Bool {
        errors.wait(until: { $0.contains(marker) }, deadline: deadline(timeout), clock: clock) != nil
    }

    /// The first line of standard output (without its newline), or nil as for `waitForOutput`.
    public func firstLine(timeout: TimeInterval = 30) -> String? {
        waitForOutput(containing: "\n", timeout: timeout).map { String($0.prefix { $0 != "\n" }) }
    }

    /// Standard output so far.
    public var standardOutput: String { output.text }

    /// Standard error so far.
    public var standardError: String { errors.text }

    /// Waits for the child to exit, at most `timeout` seconds, then kills it; returns what it
    /// printed and how it ended.
    @discardableResult
    public func wait(timeout: TimeInterval = 60) -> Result {
        let end = deadline(timeout)
        while process.isRunning && clock.uptime() < end { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // The pipes reach end-of-file once the child is gone (unless it left a grandchild
        // holding them: then what arrived so far is what there is).
        let drained = deadline(5)
        return Result(status: process.terminationStatus,
                      standardOutput: output.finish(deadline: drained, clock: clock),
                      standardError: errors.finish(deadline: drained, clock: clock),
                      endedBySignal: process.terminationReason == .uncaughtSignal)
    }

    /// Waits for exit as ``wait(timeout:)`` does, for code written against `Process`.
    public func waitUntilExit(timeout: TimeInterval = 120) { wait(timeout: timeout) }

    /// The exit status, or the signal's number (valid once the child has exited).
    public var terminationStatus: Int32 { process.terminationStatus }

    /// Whether the child exited or a signal ended it (valid once the child has exited).
    public var terminationReason: Process.TerminationReason { process.terminationReason }

    private func deadline(_ seconds: TimeInterval) -> UInt64 {
        clock.uptime() &+ UInt64(max(0, seconds) * 1e9)
    }
}

/// Drains a pipe on a background thread, keeping what it read for waiters.
private final class PipeCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data = Data()
    private var closed = false

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty { closed = true } else { data.append(chunk) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The text once `predicate` holds for it; nil at end-of-file or `deadline` without it.
    func wait(until predicate: (String) -> Bool, deadline: UInt64, clock: any ClaveClock) -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let text = String(decoding: data, as: UTF8.self)
            if predicate(text) { return text }
            if closed || clock.uptime() >= deadline { return nil }
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
    }

    /// Everything read, waiting for end-of-file until `deadline`.
    func finish(deadline: UInt64, clock: any ClaveClock) -> String {
        condition.lock()
        defer { condition.unlock() }
        while !closed && clock.uptime() < deadline { _ = condition.wait(until: Date().addingTimeInterval(0.05)) }
        return String(decoding: data, as: UTF8.self)
    }
}
