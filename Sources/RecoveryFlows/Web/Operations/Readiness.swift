import Foundation
import HTTPCore
import UserStore

/// `GET /readyz`: whether this node should get traffic, which `/healthz` (liveness: the process
/// answers) does not say. Ready means the database answers a read, and mail is flowing: no
/// message has waited longer than ``mailStallLimit`` (the worker is stopped, the SMTP server
/// refuses us, the password changed). A load balancer takes a node that is not ready out, and
/// the page says why, one line per check, for the operator.
public struct Readiness: Sendable {
    /// The database checked.
    public let database: Database
    /// How long the oldest undelivered message may wait before the node is not ready.
    /// Default 15 minutes: the outbox's first retries fit in it, an outage does not.
    public var mailStallLimit: TimeInterval
    /// Warnings the configuration carries (e.g. mail sent without DKIM): reported on every
    /// answer, never a reason to be not ready.
    public var warnings: [String]

    /// Readiness of `database` with the documented defaults.
    public init(database: Database, mailStallLimit: TimeInterval = 15 * 60, warnings: [String] = []) {
        self.database = database
        self.mailStallLimit = max(1, mailStallLimit)
        self.warnings = warnings
    }

    /// One check's line and whether it passed.
    public struct Check: Sendable, Equatable {
        public var passed: Bool
        public var line: String
    }

    /// Every check at `now`.
    public func checks(now: Date) -> [Check] {
        var checks: [Check] = []
        let backlog: OutboxBacklog
        do {
            let (version, found) = try database.read { tx in (try tx.migrations.schemaVersion(), try tx.outbox.backlog()) }
            checks.append(Check(passed: true, line: "database: ok (schema \(version))"))
            backlog = found
        } catch {
            checks.append(Check(passed: false, line: "database: cannot read (\(error))"))
            return checks
        }
        if let since = backlog.oldestSince, now.timeIntervalSince(since) > mailStallLimit {
            let minutes = Int(now.timeIntervalSince(since) / 60)
            let reason = backlog.lastError.map { "; last error: \($0.prefix(200))" } ?? "; no attempt yet (is the outbox worker running?)"
            checks.append(Check(passed: false, line: "mail: \(backlog.waiting) waiting, the oldest for \(minutes) min\(reason)"))
        } else {
            checks.append(Check(passed: true, line: "mail: ok (\(backlog.waiting) waiting)"))
        }
        checks += warnings.map { Check(passed: true, line: "warning: \($0)") }
        return checks
    }

    /// The answer: 200 `ready` or 503 `not ready`, then one line per check; never cached.
    public func response(now: Date) -> HTTPResponse {
        let checks = checks(now: now)
        let ready = checks.allSatisfy(\.passed)
        var response = HTTPResponse.text(([ready ? "ready" : "not ready"] + checks.map(\.line)).joined(separator: "\n") + "\n",
                                         status: ready ? .ok : .serviceUnavailable)
        response.headers.replace("Cache-Control", "no-store")
        return response
    }
}
