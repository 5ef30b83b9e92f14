import ClaveLog
import Foundation

extension PostgresConnection {
    // MARK: Simple query

    /// Runs SQL with no parameters through the simple query protocol: one round trip, no
    /// prepared statement, several statements allowed (migration scripts, `BEGIN`, `COMMIT`).
    /// Never for SQL with input in it: use ``query(_:_:)`` and parameters.
    @discardableResult
    public func simpleQuery(_ sql: String) throws(PostgresError) -> [PostgresQueryResult] {
        try checkOpen()
        if !deferred.isEmpty {
            let ending = sql.trimmingCharacters(in: .whitespaces).uppercased()
            switch ending {
            case "COMMIT" where deferred.statements == 0, "ROLLBACK" where hasDeferredBegin:
                // The server has seen nothing of this transaction: it ends without a word.
                discardDeferred()
                return []
            case "COMMIT":
                return [try commitDeferred()]
            case "ROLLBACK":
                discardDeferred()
            default:
                try flushDeferred()
            }
        }
        try send(PostgresFrontendMessage.query(sql).encoded())
        var results: [PostgresQueryResult] = []
        var columns: [PostgresColumn] = []
        var rows: [PostgresRow] = []
        var failure: PostgresServerError?
        var decodingError: PostgresError?
        while true {
            let message = try nextReply()
            switch message {
            case .rowDescription(let described):
                columns = described
                rows = []
            case .dataRow(let values):
                guard values.count == columns.count else { throw violation("a row of the wrong width", message) }
                do {
                    rows.append(try Self.decodeRow(values, columns: columns, formats: columns.map(\.format),
                                                   names: columns.map(\.name)))
                } catch {
                    decodingError = decodingError ?? error
                }
            case .commandComplete(let tag):
                results.append(PostgresQueryResult(columns: columns.map(\.name), rows: rows, commandTag: tag))
                columns = []
                rows = []
            case .emptyQueryResponse:
                results.append(PostgresQueryResult(columns: [], rows: [], commandTag: ""))
            case .error(let error): try record(error, into: &failure)
            case .copyResponse: throw refuseCopy()
            case .readyForQuery(let status):
                try finishCommand(status, failure: failure, decodingError: decodingError)
                return results
            default: throw violation("in a simple query", message)
            }
        }
    }
}
