import ClaveLog
import Foundation

extension PostgresConnection {
    // MARK: LISTEN / NOTIFY

    /// Subscribes this connection to `channel`; notifications then arrive between calls and
    /// are read with ``waitForNotifications(timeout:)``.
    public func listen(_ channel: String) throws(PostgresError) {
        try simpleQuery("LISTEN \(try Self.quoteIdentifier(channel))")
    }

    public func unlisten(_ channel: String) throws(PostgresError) {
        try simpleQuery("UNLISTEN \(try Self.quoteIdentifier(channel))")
    }

    /// Sends `payload` to every connection listening on `channel` (delivered when the
    /// surrounding transaction commits, or at once outside one).
    public func notify(_ channel: String, payload: String = "") throws(PostgresError) {
        _ = try query("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// The notifications received so far, waiting up to `timeout` seconds for one when there
    /// are none yet. An empty array means the time ran out.
    public func waitForNotifications(timeout: TimeInterval) throws(PostgresError) -> [PostgresNotification] {
        try checkOpen()
        try drainIdleMessages()
        let deadline = Date().addingTimeInterval(timeout)
        while pendingNotifications.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, socket.waitReadable(timeout: remaining) else { break }
            try readChunk()
            try drainIdleMessages()
        }
        defer { pendingNotifications.removeAll() }
        return pendingNotifications
    }

    /// Whether an idle connection is still up: nothing has arrived (the usual case, no
    /// round trip), or what arrived was only notices, notifications and parameter changes.
    /// A server that shut down has sent FATAL 57P01 and closed: that makes this false.
    public func isHealthy() -> Bool {
        guard !isClosed, transactionStatus == .idle else { return false }
        guard socket.waitReadable(timeout: 0) else { return true }
        do {
            try readChunk()
            try drainIdleMessages()
            return !isClosed
        } catch {
            return false
        }
    }

    /// A SQL identifier in double quotes (`"clave outbox"`), for LISTEN's channel, which
    /// cannot be a parameter. At most 63 bytes (NAMEDATALEN), no NUL.
    public static func quoteIdentifier(_ name: String) throws(PostgresError) -> String {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 63, !bytes.contains(0) else {
            throw .invalidArgument("an identifier must be 1 to 63 bytes without NUL")
        }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
