import Foundation

/// A structured logger that writes one `key=value` line per event to standard error.
///
/// Every module logs through this type rather than `print`, so that operators get one format
/// they can grep and ship, and so that tests can silence or capture output. Values are quoted
/// when they hold spaces or quotes; callers must never pass secrets (passwords, tokens, full
/// reset URLs): DESIGN.md forbids them in logs.
///
/// ```swift
/// let log = Logger(label: "http")
/// log.info("request", ["method": "GET", "path": "/healthz", "status": "200"])
/// // ts=2026-11-22T04:30:00.123Z level=info label=http msg=request method=GET path=/healthz status=200
/// ```
public struct Logger: Sendable {
    /// How important an event is; events below the logger's level are dropped.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case debug = 0, info, warning, error, off

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            case .off: "off"
            }
        }

        /// Parses `debug`, `info`, `warning`, `error` or `off` (as in `CLAVE_LOG_LEVEL`).
        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            case "off", "none": self = .off
            default: return nil
            }
        }
    }

    /// Where lines go. The default writes to standard error; tests can capture lines instead.
    public struct Sink: Sendable {
        public let write: @Sendable (String) -> Void
        public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

        /// Standard error, one `write(2)` per line so concurrent lines never interleave.
        public static let standardError = Sink { line in
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(2, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { return }
                    offset += n
                }
            }
        }

        /// Drops every line.
        public static let discard = Sink { _ in }
    }

    /// The subsystem that logs (`http`, `store`, `mailer`, `outbox`, ...).
    public let label: String
    /// The lowest level that is written.
    public var level: Level
    /// Where lines are written.
    public var sink: Sink

    public init(label: String, level: Level = Logger.defaultLevel, sink: Sink = .standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// `CLAVE_LOG_LEVEL` from the environment, or `info`.
    public static var defaultLevel: Level {
        ProcessInfo.processInfo.environment["CLAVE_LOG_LEVEL"].flatMap(Level.init(name:)) ?? .info
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.debug, message, fields)
    }

    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.info, message, fields)
    }

    public func warning(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.warning, message, fields)
    }

    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        log(.error, message, fields)
    }

    /// Writes one line if `level` is at or above the logger's level.
    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= self.level, level != .off else { return }
        var line = "ts=\(Logger.timestamp()) level=\(level) label=\(label) msg=\(Logger.quote(message))"
        for (key, value) in fields {
            line += " \(key)=\(Logger.quote(value))"
        }
        sink.write(line)
    }

    /// Quotes a value when it would otherwise break the `key=value` format, and escapes
    /// control characters so that input can never forge a second log line.
    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar.value < 0x20 || scalar.value == 0x7F
        }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int(now.tv_nsec / 1_000_000)
        )
    }
}
