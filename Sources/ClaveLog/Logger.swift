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

        /// Standard error, through a background ``LogWriter`` so that logging never blocks the
        /// thread that logs (an event loop, say) on a slow pipe.
        public static let standardError = Sink { line in
            LogWriter.standardError.write(Array(line.utf8))
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
        var line = "ts="
        line.reserveCapacity(160)
        Logger.appendTimestamp(to: &line)
        line += " level="
        line += level.description
        line += " label="
        line += label
        line += " msg="
        Logger.appendQuoted(message, to: &line)
        for (key, value) in fields {
            line += " "
            line += key
            line += "="
            Logger.appendQuoted(value, to: &line)
        }
        sink.write(line)
    }

    /// `value` as it stands in a line: bare when safe, else quoted.
    static func quote(_ value: String) -> String {
        var out = ""
        appendQuoted(value, to: &out)
        return out
    }

    /// Appends `value` bare when it holds nothing that needs quoting (the common case, checked
    /// on UTF-8 bytes), else in quotes with quotes, backslashes and control characters escaped,
    /// so that input can never forge a second log line or a field.
    static func appendQuoted(_ value: String, to out: inout String) {
        let needsQuotes = value.isEmpty || value.utf8.contains { byte in
            byte == 0x20 || byte == 0x22 || byte == 0x3D || byte == 0x5C || byte < 0x20 || byte == 0x7F
        }
        guard needsQuotes else {
            out += value
            return
        }
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = Array("0123456789ABCDEF")
                    out += "\\x"
                    out.append(hex[Int(scalar.value >> 4)])
                    out.append(hex[Int(scalar.value & 0x0F)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// The current UTC time as `2026-11-22T04:30:00.123Z`, written digit by digit: this runs
    /// once per access-log line, where `String(format:)` cost more than the rest of the line.
    static func appendTimestamp(to out: inout String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes: [UInt8] = Array("0000-00-00T00:00:00.000Z".utf8)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[i] = UInt8(0x30 + value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, width: 4)
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        put(Int(parts.tm_mday), at: 8, width: 2)
        put(Int(parts.tm_hour), at: 11, width: 2)
        put(Int(parts.tm_min), at: 14, width: 2)
        put(Int(parts.tm_sec), at: 17, width: 2)
        put(Int(now.tv_nsec / 1_000_000), at: 20, width: 3)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static func timestamp() -> String {
        var out = ""
        appendTimestamp(to: &out)
        return out
    }
}
