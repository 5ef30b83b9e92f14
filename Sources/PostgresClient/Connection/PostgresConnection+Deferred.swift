/// What waits to travel in front of a connection's next statement: a deferred BEGIN
/// (``PostgresConnection/deferBegin(_:)``) and statements whose outcome the caller does not
/// read (``PostgresConnection/executeDeferred(_:_:)``), the statements already encoded,
/// without a Sync.
struct DeferredMessages {
    /// The BEGIN and SET LOCAL texts: while there are some, nothing of the transaction has
    /// reached the server.
    var begin: [String] = []
    /// Bind and Execute of each deferred statement.
    var bytes: [UInt8] = []
    var statements = 0

    /// How many commands wait: each answers with its own CommandComplete, ahead of the reply
    /// of the statement they travel with.
    var commands: Int { begin.count + statements }
    var isEmpty: Bool { commands == 0 }
}

extension PostgresConnection {
    // MARK: Deferred BEGIN

    /// Opens a transaction with `statements` (`BEGIN ISOLATION LEVEL …`, `SET LOCAL …`) sent
    /// not now but in front of the next statement, in the same batch: a transaction then costs
    /// its statements and its COMMIT, with no round trip of its own for BEGIN.
    ///
    /// Safe because they travel in the extended protocol before that statement's Sync: if one
    /// fails, the server skips everything up to the Sync, so the statement never runs outside
    /// the transaction. A transaction that runs no statement sends nothing at all: its COMMIT
    /// or ROLLBACK (``simpleQuery(_:)``) only forgets the deferred BEGIN.
    public func deferBegin(_ statements: [String]) {
        deferred = DeferredMessages(begin: statements)
    }

    /// Forgets whatever was deferred and never sent (the body threw first): the server never
    /// saw it, so there is nothing to undo there.
    public func discardDeferred() {
        deferred = DeferredMessages()
    }

    /// Whether a BEGIN is waiting for the next statement.
    public var hasDeferredBegin: Bool { !deferred.begin.isEmpty }

    /// How many deferred statements (not counting the BEGIN) wait for the next round trip.
    public var deferredStatementCount: Int { deferred.statements }

    // MARK: Deferred statements

    /// Runs a statement whose outcome the caller does not read (rows changed, rows returned):
    /// it is not sent now but in front of the connection's next statement or COMMIT, in the
    /// same round trip. A transaction of writes that read nothing back costs one round trip.
    ///
    /// Its error, if it has one, is the transaction's: the next statement (or the COMMIT)
    /// throws it, and the server skips everything after it up to the Sync, so no later
    /// statement runs on a half-done change. The statement is prepared now if this
    /// connection has not prepared it yet (that round trip happens once per connection).
    public func executeDeferred(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) {
        try checkOpen()
        let (_, statement) = try preparedStatement(sql, parameters)
        var writer = PostgresMessageWriter()
        try Self.encodeExecution(of: statement, parameters, into: &writer)
        deferred.bytes.append(contentsOf: writer.bytes)
        deferred.statements += 1
    }

    /// The deferred messages, appended to `writer` and forgotten (the BEGIN as unnamed
    /// Parse/Bind/Execute triples); returns how many commands answer ahead of whatever the
    /// caller appends next.
    func encodeDeferred(into writer: inout PostgresMessageWriter) throws(PostgresError) -> Int {
        guard !deferred.isEmpty else { return 0 }
        let waiting = deferred
        deferred = DeferredMessages()
        for statement in waiting.begin {
            try PostgresFrontendMessage.parse(name: "", query: statement, parameterTypes: []).encode(into: &writer)
            try PostgresFrontendMessage.bind(portal: "", statement: "", parameterFormats: [], parameters: [],
                                             resultFormats: []).encode(into: &writer)
            try PostgresFrontendMessage.execute(portal: "", maxRows: 0).encode(into: &writer)
        }
        writer.raw(waiting.bytes)
        return waiting.commands
    }

    /// Sends the deferred messages on their own with a Sync and reads their answers (before
    /// a Parse that must be answered first, or a script); their error is thrown here.
    func flushDeferred() throws(PostgresError) {
        var writer = PostgresMessageWriter()
        guard try encodeDeferred(into: &writer) > 0 else { return }
        try PostgresFrontendMessage.sync.encode(into: &writer)
        try send(writer.bytes)
        try collectDeferred(columns: [], leading: .max)
    }

    /// COMMIT behind the deferred statements, in their batch: the whole transaction's writes
    /// and its end in one round trip. Returns the tag of the command that ended it.
    func commitDeferred() throws(PostgresError) -> PostgresQueryResult {
        var writer = PostgresMessageWriter()
        let leading = try encodeDeferred(into: &writer)
        try PostgresFrontendMessage.parse(name: "", query: "COMMIT", parameterTypes: []).encode(into: &writer)
        try PostgresFrontendMessage.bind(portal: "", statement: "", parameterFormats: [], parameters: [],
                                         resultFormats: []).encode(into: &writer)
        try PostgresFrontendMessage.execute(portal: "", maxRows: 0).encode(into: &writer)
        try PostgresFrontendMessage.sync.encode(into: &writer)
        try send(writer.bytes)
        return try collectDeferred(columns: [], leading: leading)
    }

    /// The answers to a batch of deferred statements and what follows them.
    @discardableResult
    private func collectDeferred(columns: [PostgresColumn], leading: Int) throws(PostgresError) -> PostgresQueryResult {
        do {
            return try collectRows(columns: columns, formats: [], leading: leading)
        } catch {
            if error.sqlState == .cachedPlanChanged { forgetPreparedStatements() }
            throw error
        }
    }
}
