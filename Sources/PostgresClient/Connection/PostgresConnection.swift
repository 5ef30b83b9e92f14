import ClaveCrypto
import ClaveLog
import Foundation

/// One PostgreSQL session over protocol 3.0: startup with TLS and SCRAM-SHA-256, the extended
/// query protocol with named prepared statements cached per connection, simple queries for
/// transaction control and scripts, and `LISTEN`/`NOTIFY`.
///
/// Blocking and used by one thread at a time (the pool hands it out to one caller): each call
/// writes its messages in one batch and reads until ReadyForQuery, so after any call that
/// returns or throws a server error the connection is ready for the next. A lost socket, a
/// timeout, a FATAL error or bytes that are not the protocol close it for good
/// (``isClosed``); the pool then opens another.
///
/// ```swift
/// let connection = try PostgresConnection.connect(configuration)
/// let rows = try connection.query("SELECT id, email FROM users WHERE portal = $1", [.text("secop")]).rows
/// try connection.execute("UPDATE users SET locked = $1 WHERE id = $2", [.bool(true), .int64(7)])
/// ```
public final class PostgresConnection: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    /// Run-time parameters the server reported (`server_version`, `TimeZone`, ...).
    public private(set) var parameters: [String: String]
    /// The server process serving this connection (`pg_backend_pid()`).
    public private(set) var processID: Int32
    /// What the last ReadyForQuery said.
    public private(set) var transactionStatus: PostgresTransactionStatus = .idle
    public private(set) var isClosed = false
    /// Whether the link is TLS.
    public var isTLS: Bool { socket.isTLS }

    let socket: PostgresSocket
    private var decoder = PostgresBackendDecoder()
    /// Larger than a TLS record (see ``PostgresSocket/waitReadable(timeout:)``).
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 8)
    private var cache: StatementCache
    var pendingNotifications: [PostgresNotification] = []
    /// A BEGIN and statements not sent yet (``deferBegin(_:)``, ``executeDeferred(_:_:)``).
    var deferred = DeferredMessages()
    /// The last ErrorResponse a command ended with: what failed a transaction even when the
    /// caller caught the error (the pool reports it instead of committing nothing).
    public private(set) var lastServerError: PostgresServerError?
    /// How many batches of messages this connection has written since it was ready: each
    /// costs a round trip (what the deferred BEGIN and deferred statements save, in tests).
    public private(set) var batchesSent = 0

    private init(configuration: PostgresConfiguration, socket: PostgresSocket) {
        self.configuration = configuration
        self.socket = socket
        self.cache = StatementCache(capacity: configuration.statementCacheCapacity)
        self.parameters = [:]
        self.processID = 0
    }

    deinit {
        close()
        readBuffer.deallocate()
    }

    /// Connects, negotiates TLS as `sslmode` says, authenticates with SCRAM-SHA-256 and waits
    /// for ReadyForQuery, all within the connect timeout. `tlsContext` lets a pool share one
    /// OpenSSL context (and one read of the CA file); nil makes one from the configuration.
    public static func connect(_ configuration: PostgresConfiguration,
                               tlsContext: TLSClientContext? = nil) throws(PostgresError) -> PostgresConnection {
        let socket = try PostgresSocket(host: configuration.host, port: configuration.port,
                                        connectTimeout: configuration.connectTimeout, ioTimeout: configuration.connectTimeout)
        let connection = PostgresConnection(configuration: configuration, socket: socket)
        do throws(PostgresError) {
            if configuration.sslMode != .disable {
                if let tlsContext {
                    try connection.negotiateTLS(context: tlsContext)
                } else {
                    try connection.negotiateTLS(context: makeTLSContext(configuration))
                }
            }
            try connection.startup()
            socket.setTimeout(configuration.ioTimeout)
            return connection
        } catch {
            connection.abandon()
            throw error
        }
    }

    /// The OpenSSL context `sslmode` calls for: no checks for `require`, chain and host for
    /// `verify-full` (against `sslrootcert`, or the system store).
    public static func makeTLSContext(_ configuration: PostgresConfiguration) throws(PostgresError) -> TLSClientContext {
        let trust = configuration.sslMode == .verifyFull
            ? TLSClientConfiguration(caFile: configuration.sslRootCertificate, verifyPeer: true)
            : TLSClientConfiguration(verifyPeer: false)
        do { return try TLSClientContext(configuration: trust) } catch { throw .tls(error) }
    }

    private func negotiateTLS(context: TLSClientContext) throws(PostgresError) {
        try socket.write(PostgresFrontendMessage.sslRequest.encoded())
        // Exactly one byte: anything after it is the TLS handshake (or, on a downgrade attack,
        // bytes a man in the middle put there, which must not be read as messages).
        let answer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
        defer { answer.deallocate() }
        _ = try socket.read(into: answer)
        switch answer[0] {
        case UInt8(ascii: "S"):
            try socket.startTLS(context: context, host: configuration.host)
        case UInt8(ascii: "N"):
            throw .connectionFailed("the server does not accept TLS (ssl = off) and sslmode=\(configuration.sslMode.rawValue) requires it")
        default:
            throw .protocolViolation("the server answered SSLRequest with 0x\(String(answer[0], radix: 16))")
        }
    }

    private func startup() throws(PostgresError) {
        let startupParameters: [PostgresFrontendMessage.StartupParameter] = [
            .init("user", configuration.user), .init("database", configuration.database),
            .init("application_name", configuration.applicationName), .init("client_encoding", "UTF8"),
            // Dates travel in binary; UTC keeps text output (psql, logs) unambiguous too.
            .init("TimeZone", "UTC"),
        ]
        try socket.write(PostgresFrontendMessage.startup(parameters: startupParameters).encoded())
        var machine = StartupStateMachine(password: configuration.password, nonce: try SCRAMSHA256Client.randomNonce())
        while true {
            switch machine.receive(try readMessage()) {
            case .send(let message): try socket.write(message.encoded())
            case .wait: continue
            case .notice(let notice): log(notice)
            case .ready:
                parameters = machine.parameters
                processID = machine.backendKey?.processID ?? 0
                return
            case .fail(let error): throw error
            }
        }
    }

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

    // MARK: Closing

    /// Sends Terminate (best effort) and closes the socket. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if let bytes = try? PostgresFrontendMessage.terminate.encoded() { try? socket.write(bytes) }
        socket.close()
    }

    // MARK: Reading

    func checkOpen() throws(PostgresError) {
        guard !isClosed else { throw .connectionLost("the connection is closed") }
    }

    func send(_ bytes: [UInt8]) throws(PostgresError) {
        batchesSent += 1
        do { try socket.write(bytes) } catch {
            abandon()
            throw error
        }
    }

    /// Closes without Terminate: the link is already broken or out of step.
    private func abandon() {
        isClosed = true
        socket.close()
    }

    func readChunk() throws(PostgresError) {
        do {
            let count = try socket.read(into: readBuffer)
            decoder.feed(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        } catch {
            abandon()
            throw error
        }
    }

    private func readMessage() throws(PostgresError) -> PostgresBackendMessage {
        while true {
            do {
                if let message = try decoder.next() { return message }
            } catch {
                abandon()
                throw .protocolViolation(error.description)
            }
            try readChunk()
        }
    }

    /// The next message that answers the request, handling the ones that can come at any time.
    func nextReply() throws(PostgresError) -> PostgresBackendMessage {
        while true {
            let message = try readMessage()
            if !handleAsynchronous(message) { return message }
        }
    }

    private func handleAsynchronous(_ message: PostgresBackendMessage) -> Bool {
        switch message {
        case .notice(let notice): log(notice)
        case .notification(let notification): pendingNotifications.append(notification)
        case .parameterStatus(let name, let value): parameters[name] = value
        default: return false
        }
        return true
    }

    /// Handles what is buffered while no request is out: only asynchronous messages may be
    /// there; an ErrorResponse is the server saying goodbye (FATAL: shutdown, terminated).
    func drainIdleMessages() throws(PostgresError) {
        while true {
            let message: PostgresBackendMessage?
            do { message = try decoder.next() } catch {
                abandon()
                throw .protocolViolation(error.description)
            }
            guard let message else { return }
            if handleAsynchronous(message) { continue }
            if case .error(let error) = message {
                abandon()
                throw .server(error)
            }
            throw violation("while idle", message)
        }
    }

    /// Keeps the first ErrorResponse of a batch (the server skips to Sync after it); a FATAL
    /// one ends the connection at once.
    func record(_ error: PostgresServerError, into failure: inout PostgresServerError?) throws(PostgresError) {
        if error.severity == "FATAL" || error.severity == "PANIC" {
            abandon()
            throw .server(error)
        }
        if failure == nil { failure = error }
    }

    /// The end of a command's replies (ReadyForQuery): the transaction status it reports, then
    /// the server's error or, failing that, the first row that did not decode. Both are thrown
    /// only here, once the connection is ready again, so a failed command never leaves replies
    /// unread behind it.
    func finishCommand(_ status: PostgresTransactionStatus, failure: PostgresServerError?,
                       decodingError: PostgresError?) throws(PostgresError) {
        transactionStatus = status
        if let failure {
            lastServerError = failure
            throw .server(failure)
        }
        if let decodingError { throw decodingError }
    }

    func violation(_ context: String, _ message: PostgresBackendMessage) -> PostgresError {
        abandon()
        return .protocolViolation("unexpected \(StartupStateMachine.name(message)) \(context)")
    }

    /// COPY would leave the server waiting for data this client never sends: close instead.
    func refuseCopy() -> PostgresError {
        abandon()
        return .invalidArgument("COPY is not supported by this client")
    }

    private func log(_ notice: PostgresServerError) {
        let level: Logger.Level = switch notice.severity {
        case "WARNING": .warning
        case "NOTICE": .info
        default: .debug
        }
        configuration.logger.log(level, "postgres \(notice.severity.lowercased()): \(notice.message)",
                                 ["sqlstate": notice.sqlState.code, "pid": String(processID)])
    }
}
