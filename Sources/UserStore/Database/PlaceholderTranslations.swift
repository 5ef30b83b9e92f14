import PostgresClient
import Synchronization

/// The repositories' SQL with SQLite's `?1` parameters rewritten to PostgreSQL's `$1`, kept for
/// the life of the engine: a ``PostgresStoreConnection`` lives for one transaction, and every
/// transaction would otherwise scan its statements again.
///
/// The texts are the repositories' own, a fixed set (and the few built with a number of
/// parameters, bounded by their callers); ``limit`` bounds the table all the same, and a full
/// table still translates, it only stops remembering.
final class PlaceholderTranslations: Sendable {
    /// How many texts are kept at most.
    let limit: Int
    private let table = Mutex<[String: String]>([:])

    init(limit: Int = 1024) { self.limit = limit }

    /// `sql` in PostgreSQL's placeholders.
    func postgres(_ sql: String) throws(StoreError) -> String {
        if let known = table.withLock({ $0[sql] }) { return known }
        let text: String
        do {
            text = try PostgresPlaceholders.fromSQLite(sql)
        } catch {
            throw PostgresStoreConnection.storeError(error)
        }
        table.withLock { table in
            if table.count < limit { table[sql] = text }
        }
        return text
    }
}
