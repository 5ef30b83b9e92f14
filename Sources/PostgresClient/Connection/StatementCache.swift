/// The named prepared statements of one connection, least recently used dropped first.
/// A statement is keyed by its SQL and its parameter types: the same SQL bound once with a
/// NULL (type inferred) and once with text is two statements.
struct StatementCache {
    struct Key: Hashable {
        var sql: String
        var parameterTypes: [UInt32]
    }

    struct Entry {
        var name: String
        var columns: [PostgresColumn]
        /// Binary for the types the client decodes, text for the rest.
        var resultFormats: [PostgresFormat]
        var lastUsed: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var counter = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    mutating func lookup(_ key: Key) -> Entry? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.lastUsed = clock
        entries[key] = entry
        return entry
    }

    /// A fresh statement name (never reused on this connection).
    mutating func nextName() -> String {
        counter += 1
        return "clave_\(counter)"
    }

    /// The name of the statement to close first so one more fits, if the cache is full.
    func victim() -> (Key, String)? {
        guard entries.count >= capacity,
              let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) else { return nil }
        return (oldest.key, oldest.value.name)
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    mutating func insert(_ key: Key, name: String, columns: [PostgresColumn]) -> Entry {
        clock += 1
        let formats = columns.map { PostgresType.binaryDecodable.contains($0.typeOID) ? PostgresFormat.binary : .text }
        let entry = Entry(name: name, columns: columns, resultFormats: formats, lastUsed: clock)
        entries[key] = entry
        return entry
    }

    mutating func removeAll() { entries.removeAll() }
}
