/// What a repository needs of a database connection: statements with positional parameters
/// (`?1`, `?2`, …) and rows of ``SQLValue``s. ``SQLiteConnection`` is the embedded engine's;
/// a PostgreSQL connection is the several-node engine's (shared/DESIGN.md: the same
/// repositories on both), so the SQL the repositories write keeps to what both accept: no
/// `lastInsertRowID` but `INSERT … RETURNING id`, `ON CONFLICT … DO NOTHING` rather than
/// `INSERT OR IGNORE`, dates as seconds (REAL), flags as integers, `CASE` rather than the
/// two-argument `MIN`/`MAX`, and a parameter tested for NULL cast to its type
/// (`CAST(?1 AS TEXT) IS NULL OR portal = ?1`: PostgreSQL cannot tell a bare NULL's type).
///
/// A connection is used by one thread at a time: the ``Database`` hands it out inside a
/// ``Transaction`` and takes it back when the body returns.
public protocol StoreConnection: AnyObject {
    /// The engine's SQL, for the few statements that differ.
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError) -> Int

    /// Runs a statement whose outcome the caller does not read (no row count, no rows), as
    /// soon as the engine finds cheapest: SQLite runs it now; PostgreSQL sends it with the
    /// transaction's next statement or its COMMIT, in the same round trip. Its error, if any,
    /// is thrown there instead of here, and fails the transaction: never catch around it.
    func executeDeferred(_ sql: String, _ arguments: [any SQLBindable]) throws(StoreError)

    /// Runs a query and maps every row.
    func query<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> [T]

    /// Runs a query and maps its first row, or returns nil when there is none.
    func queryOne<T>(_ sql: String, _ arguments: [any SQLBindable], _ map: (Row) throws -> T) throws -> T?

    /// Runs several statements with no parameters (migrations only: never for input).
    func executeScript(_ sql: String) throws(StoreError)
}

extension StoreConnection {
    /// `execute(sql, [])`.
    @discardableResult
    public func execute(_ sql: String) throws(StoreError) -> Int { try execute(sql, []) }

    /// `query(sql, [], map)`.
    public func query<T>(_ sql: String, _ map: (Row) throws -> T) throws -> [T] { try query(sql, [], map) }

    /// `queryOne(sql, [], map)`.
    public func queryOne<T>(_ sql: String, _ map: (Row) throws -> T) throws -> T? { try queryOne(sql, [], map) }

    /// Runs `sql`, an `INSERT … RETURNING id`, and returns the new row's id.
    ///
    /// ```swift
    /// let id = try connection.insert("INSERT INTO outbox (…) VALUES (?1, …) RETURNING id", [portal, …])
    /// ```
    public func insert(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int64 {
        guard let id = try queryOne(sql, arguments, { try $0.int64(0) }) else {
            throw StoreError.notFound("the id of the row inserted by \(sql.prefix(40))")
        }
        return id
    }
}
