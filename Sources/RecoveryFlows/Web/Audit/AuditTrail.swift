import ClaveLog
import ClaveTime
import Foundation
import UserStore

/// Writes audit entries for one portal, with the one rule every flow keeps: a failed audit
/// write is logged, never thrown. The step it records has already committed, and the person
/// must still get their answer, not a 500.
///
/// ```swift
/// audit.record(.resetRequested, userID: user.id, client: clientAddress, detail: "account=found")
/// ```
public struct AuditTrail: Sendable {
    /// The audit log.
    public let database: Database
    /// The portal column of every entry (`soi`, `secop`, `cajacopi`, `clave`).
    public let portal: String
    /// Where a failed write is reported.
    public let logger: Logger
    /// The time of each entry.
    public let clock: any ClaveClock

    /// A trail for `portal` over `database`.
    public init(database: Database, portal: String, logger: Logger, clock: any ClaveClock) {
        self.database = database
        self.portal = portal
        self.logger = logger
        self.clock = clock
    }

    /// Appends `event`. `detail` holds ids, reasons and counts: never a secret.
    public func record(_ event: AuditEvent, userID: Int64? = nil, client: String? = nil, detail: String = "") {
        do {
            try database.write { tx in
                try tx.auditLog.recordDeferred(portal: portal, userID: userID, event: event.rawValue, clientAddress: client,
                                               detail: detail, at: clock.now())
            }
        } catch {
            logger.error("audit write failed", ["event": "\(portal).\(event.rawValue)", "error": "\(error)"])
        }
    }
}
