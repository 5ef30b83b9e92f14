/// Which SQL a ``StoreConnection`` speaks. The repositories keep one text for both where the
/// dialects agree (nearly everywhere: see ``StoreConnection``) and ask for the dialect only
/// where a feature exists in one alone, such as PostgreSQL's `FOR UPDATE SKIP LOCKED`.
public enum SQLDialect: Sendable, Equatable {
    /// The embedded engine: one file, one writer at a time.
    case sqlite
    /// Several nodes on one server: row locks and serializable transactions.
    case postgres
}
