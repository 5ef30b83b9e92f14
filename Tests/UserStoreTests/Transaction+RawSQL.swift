@_spi(RawSQL) @testable import UserStore

/// Raw SQL on a transaction, for the store's own low-level tests only (pragmas, constraint
/// errors, the statement cache, rows no repository writes): `store.database.write { c in try
/// c.execute(...) }`. Code outside the store has no such access; repositories are the API.
extension Transaction {
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws(StoreError) -> Int {
        try connection.execute(sql, arguments)
    }

    func query<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try connection.query(sql, arguments, map)
    }

    func queryOne<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try connection.queryOne(sql, arguments, map)
    }

    func executeScript(_ sql: String) throws(StoreError) {
        try connection.executeScript(sql)
    }
}
