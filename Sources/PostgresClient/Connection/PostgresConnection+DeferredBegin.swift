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
        deferredBegin = statements
    }

    /// Forgets a deferred BEGIN that was never sent (the body threw before its first statement).
    public func discardDeferredBegin() {
        deferredBegin = []
    }

    /// Whether a BEGIN is waiting for the next statement.
    public var hasDeferredBegin: Bool { !deferredBegin.isEmpty }

    /// The deferred statements as unnamed Parse/Bind/Execute triples (no Sync), then forgotten.
    func encodeDeferredBegin(into writer: inout PostgresMessageWriter) throws(PostgresError) {
        guard !deferredBegin.isEmpty else { return }
        for statement in deferredBegin {
            try PostgresFrontendMessage.parse(name: "", query: statement, parameterTypes: []).encode(into: &writer)
            try PostgresFrontendMessage.bind(portal: "", statement: "", parameterFormats: [], parameters: [],
                                             resultFormats: []).encode(into: &writer)
            try PostgresFrontendMessage.execute(portal: "", maxRows: 0).encode(into: &writer)
        }
        deferredBegin = []
    }

    /// Sends a deferred BEGIN on its own (before a Parse that must be answered first, or a
    /// script), as one simple query.
    func sendDeferredBegin() throws(PostgresError) {
        guard !deferredBegin.isEmpty else { return }
        let statements = deferredBegin
        deferredBegin = []
        try simpleQuery(statements.joined(separator: "; "))
    }
}
