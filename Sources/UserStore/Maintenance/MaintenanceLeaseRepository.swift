import Foundation

/// Leases on periodic jobs shared by every process on the store (migration 11): one holder at
/// a time per job, until the lease's end.
public struct MaintenanceLeaseRepository<Access: TransactionAccess> {
    let transaction: Transaction<Access>
    var connection: any StoreConnection { transaction.connection }

    init(transaction: Transaction<Access>) { self.transaction = transaction }

    /// Who holds the lease on `job` and until when, if anyone ever took it.
    public func holder(of job: String) throws -> (holder: String, until: Date)? {
        try connection.queryOne("SELECT holder, expires_at FROM maintenance_leases WHERE name = ?1", [job]) {
            (try $0.string(0), try $0.date(1))
        }
    }
}

extension MaintenanceLeaseRepository where Access == WriteAccess {
    /// Takes (or renews) the lease on `job` for `holder` until `until`, unless another holder's
    /// lease runs past `now`. Returns whether `holder` has it now. One statement, so two
    /// processes asking at once cannot both win (SQLite's one writer; PostgreSQL's unique key
    /// and serializable retry).
    public func acquire(_ job: String, holder: String, until: Date, now: Date) throws -> Bool {
        try connection.queryOne("""
            INSERT INTO maintenance_leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE maintenance_leases.expires_at <= ?4 OR maintenance_leases.holder = ?2
            RETURNING holder
            """, [job, holder, until, now]) { try $0.string(0) } == holder
    }
}
