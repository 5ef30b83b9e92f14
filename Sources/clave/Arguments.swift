import Foundation
import UserStore
import RecoveryFlows

/// Command-line arguments: `--name value`, `--name=value`, boolean `--flag`s and positionals,
/// with an environment variable as the fallback for each option (`--port` → `CLAVE_PORT`).
///
/// Options are declared by the command that reads them: reading an option marks it known, and
/// `finish()` then rejects anything left over, so a mistyped flag is an error, not a silent
/// default.
struct Arguments {
    private(set) var positionals: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []
    private var consumed: Set<String> = []
    private let environment: [String: String]

    /// Names that never take a value; everything else after `--` takes the next word.
    init(_ words: [String], booleanFlags: Set<String> = ["help", "json", "yes", "dry-run", "password-stdin", "no-dkim",
                                                  ServeConfiguration.unsafeDevelopmentFlag],
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                positionals += words[(i + 1)...]
                break
            }
            if word == "-h" {
                flags.insert("help")
            } else if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                if let eq = body.firstIndex(of: "=") {
                    options[String(body[..<eq]), default: []].append(String(body[body.index(after: eq)...]))
                } else if booleanFlags.contains(String(body)) {
                    flags.insert(String(body))
                } else {
                    guard i + 1 < words.count else { throw CLIError("option --\(body) needs a value") }
                    options[String(body), default: []].append(words[i + 1])
                    i += 1
                }
            } else {
                positionals.append(word)
            }
            i += 1
        }
    }

    /// Whether `--name` was given.
    mutating func flag(_ name: String) -> Bool {
        consumed.insert(name)
        return flags.contains(name)
    }

    /// The value of `--name`, else of the environment variable `CLAVE_NAME`, else nil.
    mutating func option(_ name: String, environmentVariable: String? = nil) -> String? {
        consumed.insert(name)
        if let value = options[name]?.last { return value }
        let variable = environmentVariable ?? "CLAVE_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        if let value = environment[variable], !value.isEmpty { return value }
        return nil
    }

    /// Every value of a repeatable option (`--document CC:1 --document NIT:2`).
    mutating func options(_ name: String) -> [String] {
        consumed.insert(name)
        return options[name] ?? []
    }

    /// An integer option within `range`.
    mutating func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = option(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw CLIError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// `--audit-retention-days N` (`CLAVE_AUDIT_RETENTION_DAYS`): how long the audit log is
    /// kept, 1 to 3650 days, default 180 (``PurgePolicy/auditRetention``).
    mutating func auditRetentionDays() throws -> Int {
        try integer("audit-retention-days", default: Int(PurgePolicy.default.auditRetention / 86_400), in: 1...3650)
    }

    /// `--soi-temporary-minutes N` (`CLAVE_SOI_TEMPORARY_MINUTES`): how long SOI's temporary
    /// password lives, within ``SOIRecoveryConfiguration/temporaryPasswordMinutes``, default 60.
    mutating func soiTemporaryMinutes() throws -> Int {
        try integer("soi-temporary-minutes", default: Int(SOIRecoveryConfiguration.defaultTemporaryPasswordLifetime / 60),
                    in: SOIRecoveryConfiguration.temporaryPasswordMinutes)
    }

    /// The first positional, removed, for sub-commands (`users add`).
    mutating func popPositional() -> String? {
        positionals.isEmpty ? nil : positionals.removeFirst()
    }

    /// Fails on options nobody read and on positionals left over.
    func finish() throws {
        let unknown = Set(options.keys).union(flags).subtracting(consumed)
        if let first = unknown.sorted().first { throw CLIError("unknown option --\(first)") }
        if let extra = positionals.first { throw CLIError("unexpected argument '\(extra)'") }
    }
}
