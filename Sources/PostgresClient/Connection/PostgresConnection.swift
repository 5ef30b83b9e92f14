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
    public internal(set) var transactionStatus: PostgresTransactionStatus = .idle
    public private(set) var isClosed = false
    /// Whether the link is TLS.
    public var isTLS: Bool { socket.isTLS }

    let socket: PostgresSocket
    private var decoder = PostgresBackendDecoder()
    /// Larger than a TLS record (see ``PostgresSocket/waitReadable(timeout:)``).
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 8)
    /// The named statements prepared on this connection (``query(_:_:)``).
    var cache: StatementCache
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
        ] + (configuration.statementTimeout.map {
            // A session default, so that transactions with the same timeout need no SET LOCAL.
            [.init("statement_timeout", String(PostgresTransactionOptions.milliseconds($0)))]
        } ?? [])
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
