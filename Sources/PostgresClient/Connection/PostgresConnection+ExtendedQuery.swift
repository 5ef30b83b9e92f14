import Foundation

extension PostgresConnection {
    // MARK: Extended query

    /// Runs one statement with `$1`, `$2`, ... parameters and returns its rows. The statement is
    /// prepared once per connection (Parse and Describe) and reused by name afterwards, so a
    /// repeated query costs one round trip: Bind, Execute, Sync.
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresQueryResult {
        try checkOpen()
        let (key, statement) = try preparedStatement(sql, parameters)
        var writer = PostgresMessageWriter()
        // A deferred BEGIN and deferred statements ride in front, in the same Sync: one round
        // trip for all of them.
        let leading = try encodeDeferred(into: &writer)
        try Self.encodeExecution(of: statement, parameters, into: &writer)
        try PostgresFrontendMessage.sync.encode(into: &writer)
        try send(writer.bytes)
        do {
            return try collectRows(columns: statement.columns, formats: statement.resultFormats, leading: leading)
        } catch {
            // A migration changed a table under a cached statement: prepare it afresh next time
            // (every statement, when a deferred one in front may be the one that failed).
            if error.sqlState == .cachedPlanChanged { leading > 0 ? forgetPreparedStatements() : cache.remove(key) }
            throw error
        }
    }

    /// The cached statement for `sql` with these parameters' types, prepared now if this
    /// connection has not prepared it yet. Whatever is deferred goes first: preparing may close
    /// an evicted statement that a deferred Bind names.
    func preparedStatement(_ sql: String, _ parameters: [PostgresValue]) throws(PostgresError)
        -> (StatementCache.Key, StatementCache.Entry) {
        let key = StatementCache.Key(sql: sql, parameterTypes: parameters.map(\.typeOID))
        if let cached = cache.lookup(key) { return (key, cached) }
        try flushDeferred()
        return (key, try prepare(key))
    }

    /// Bind (parameters in binary) and Execute of a prepared statement, without a Sync.
    static func encodeExecution(of statement: StatementCache.Entry, _ parameters: [PostgresValue],
                                into writer: inout PostgresMessageWriter) throws(PostgresError) {
        try PostgresFrontendMessage.bind(portal: "", statement: statement.name, parameterFormats: [.binary],
                                         parameters: parameters.map(\.binary),
                                         resultFormats: statement.resultFormats).encode(into: &writer)
        try PostgresFrontendMessage.execute(portal: "", maxRows: 0).encode(into: &writer)
    }

    /// Runs a statement and returns how many rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> Int {
        try query(sql, parameters).affectedRows
    }

    /// The first row, or nil.
    public func queryOne(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRow? {
        try query(sql, parameters).rows.first
    }

    /// Forgets every cached statement, so each is prepared again under a new name (the old
    /// ones stay on the server until the connection closes): after a plan change on a batch
    /// whose failing statement is not known.
    func forgetPreparedStatements() { cache.removeAll() }

    /// How many named statements this connection holds prepared.
    public var preparedStatementCount: Int { cache.count }

    private func prepare(_ key: StatementCache.Key) throws(PostgresError) -> StatementCache.Entry {
        var writer = PostgresMessageWriter()
        if let (victimKey, victimName) = cache.victim() {
            try PostgresFrontendMessage.closeStatement(victimName).encode(into: &writer)
            cache.remove(victimKey)
        }
        let name = cache.nextName()
        try PostgresFrontendMessage.parse(name: name, query: key.sql, parameterTypes: key.parameterTypes).encode(into: &writer)
        try PostgresFrontendMessage.describeStatement(name).encode(into: &writer)
        try PostgresFrontendMessage.sync.encode(into: &writer)
        try send(writer.bytes)
        var columns: [PostgresColumn] = []
        var failure: PostgresServerError?
        while true {
            let message = try nextReply()
            switch message {
            case .closeComplete, .parseComplete, .parameterDescription: continue
            case .rowDescription(let described): columns = described
            case .noData: columns = []
            case .error(let error): try record(error, into: &failure)
            case .readyForQuery(let status):
                transactionStatus = status
                if let failure { throw .server(failure) }
                return cache.insert(key, name: name, columns: columns)
            default: throw violation("while preparing", message)
            }
        }
    }

    /// Reads one batch's replies up to ReadyForQuery. The first `leading` commands are the
    /// deferred ones riding in front (``encodeDeferred(into:)``): their rows and tags are not
    /// the caller's and are passed over; the result is the command after them.
    func collectRows(columns: [PostgresColumn], formats: [PostgresFormat], leading: Int) throws(PostgresError) -> PostgresQueryResult {
        let names = columns.map(\.name)
        var rows: [PostgresRow] = []
        var tag = ""
        var ahead = leading
        var failure: PostgresServerError?
        var decodingError: PostgresError?
        while true {
            let message = try nextReply()
            switch message {
            // parseComplete: a deferred BEGIN's unnamed statements, in front of ours.
            case .parseComplete, .bindComplete, .portalSuspended: continue
            case .dataRow where ahead > 0: continue
            case .dataRow(let values):
                guard values.count == columns.count else { throw violation("a row of the wrong width", message) }
                guard decodingError == nil else { continue }
                do { rows.append(try Self.decodeRow(values, columns: columns, formats: formats, names: names)) } catch {
                    decodingError = error
                }
            case .commandComplete where ahead > 0, .emptyQueryResponse where ahead > 0: ahead -= 1
            case .commandComplete(let commandTag): tag = commandTag
            case .emptyQueryResponse: continue
            case .error(let error): try record(error, into: &failure)
            case .copyResponse: throw refuseCopy()
            case .readyForQuery(let status):
                try finishCommand(status, failure: failure, decodingError: decodingError)
                return PostgresQueryResult(columns: names, rows: rows, commandTag: tag)
            default: throw violation("while reading rows", message)
            }
        }
    }

    /// A DataRow's values decoded by their columns' types, in the formats they were asked in.
    static func decodeRow(_ values: [[UInt8]?], columns: [PostgresColumn], formats: [PostgresFormat],
                                  names: [String]) throws(PostgresError) -> PostgresRow {
        var decoded: [PostgresValue] = []
        decoded.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            decoded.append(try PostgresValue.decode(value, typeOID: columns[index].typeOID, format: formats[index],
                                                    column: names[index]))
        }
        return PostgresRow(values: decoded, columns: names)
    }
}
