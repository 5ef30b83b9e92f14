/// The startup and authentication exchange as a pure state machine: fed each backend message
/// after the StartupMessage, it says what to send or that the connection is ready or failed.
/// The connection does the I/O; tests drive this with scripted messages for every method.
///
/// Only SCRAM-SHA-256 is accepted. A server that asks for md5 or a clear-text password, or
/// lets the user in with no authentication at all (`trust`), is refused with an error that
/// names the pg_hba method to change: with `trust` anyone who can reach the port is the user,
/// and with `password` the password crosses the wire.
struct StartupStateMachine {
    enum Action: Equatable {
        /// Send this message and wait for the next.
        case send(PostgresFrontendMessage)
        /// Nothing to send; wait for the next message.
        case wait
        /// Log this notice and wait.
        case notice(PostgresServerError)
        /// ReadyForQuery: the connection is usable.
        case ready
        /// Stop and close: the connection cannot be used.
        case fail(PostgresError)
    }

    private enum State {
        case awaitingAuthentication
        case scramSentFirst(SCRAMSHA256Client)
        case scramSentFinal(SCRAMSHA256Client)
        case authenticated
        case ready
        case failed
    }

    private var state = State.awaitingAuthentication
    private let password: String
    private let nonce: String
    /// Run-time parameters the server reported (`server_version`, `TimeZone`, ...).
    private(set) var parameters: [String: String] = [:]
    /// What a CancelRequest needs.
    private(set) var backendKey: (processID: Int32, secretKey: Int32)?

    init(password: String, nonce: String) {
        self.password = password
        self.nonce = nonce
    }

    mutating func receive(_ message: PostgresBackendMessage) -> Action {
        let action = step(message)
        if case .fail = action { state = .failed }
        if case .ready = action { state = .ready }
        return action
    }

    private mutating func step(_ message: PostgresBackendMessage) -> Action {
        switch (state, message) {
        case (_, .error(let error)):
            return .fail(.server(error))
        case (.failed, _), (.ready, _):
            return .fail(.protocolViolation("a message after startup ended"))
        case (_, .notice(let notice)):
            return .notice(notice)
        case (.awaitingAuthentication, .authentication(let request)):
            return authenticate(request)
        case (.scramSentFirst(var client), .authentication(.saslContinue(let data))):
            guard let serverFirst = String(validating: data, as: UTF8.self) else {
                return .fail(.authentication("SCRAM server-first message is not UTF-8"))
            }
            do {
                let final = try client.clientFinalMessage(serverFirst: serverFirst)
                state = .scramSentFinal(client)
                return .send(.saslResponse(Array(final.utf8)))
            } catch {
                return .fail(error)
            }
        case (.scramSentFinal(let client), .authentication(.saslFinal(let data))):
            guard let serverFinal = String(validating: data, as: UTF8.self) else {
                return .fail(.authentication("SCRAM server-final message is not UTF-8"))
            }
            do {
                try client.verifyServerFinal(serverFinal)
                state = .authenticated
                return .wait
            } catch {
                return .fail(error)
            }
        case (.scramSentFinal, .authentication(.ok)):
            return .fail(.authentication("the server accepted SCRAM without proving it knows the password"))
        case (.authenticated, .authentication(.ok)):
            return .wait
        case (.authenticated, .parameterStatus(let name, let value)):
            parameters[name] = value
            return .wait
        case (.authenticated, .backendKeyData(let processID, let secretKey)):
            backendKey = (processID, secretKey)
            return .wait
        case (.authenticated, .readyForQuery):
            return .ready
        case (.authenticated, .negotiateProtocolVersion):
            return .fail(.protocolViolation("the server does not speak protocol 3.0"))
        default:
            return .fail(.protocolViolation("unexpected message during startup: \(Self.name(message))"))
        }
    }

    private mutating func authenticate(_ request: PostgresBackendMessage.Authentication) -> Action {
        let advice = "; set the pg_hba.conf method for this user to scram-sha-256 (and password_encryption = scram-sha-256)"
        switch request {
        case .sasl(let mechanisms):
            guard mechanisms.contains("SCRAM-SHA-256") else {
                return .fail(.authentication("the server offers SASL \(mechanisms.joined(separator: ", ")), not SCRAM-SHA-256"))
            }
            let client = SCRAMSHA256Client(password: password, clientNonce: nonce)
            state = .scramSentFirst(client)
            return .send(.saslInitialResponse(mechanism: "SCRAM-SHA-256", data: Array(client.clientFirstMessage.utf8)))
        case .ok:
            return .fail(.authentication("the server let the user in without a password (pg_hba method trust)" + advice))
        case .cleartextPassword:
            return .fail(.authentication("the server asks for the password in clear text (pg_hba method password)" + advice))
        case .md5Password:
            return .fail(.authentication("the server asks for an MD5 password hash (pg_hba method md5 with an MD5-stored password)" + advice))
        case .kerberosV5, .gss, .gssContinue:
            return .fail(.authentication("the server asks for GSSAPI/Kerberos, which this client does not speak" + advice))
        case .sspi:
            return .fail(.authentication("the server asks for SSPI, which this client does not speak" + advice))
        case .saslContinue, .saslFinal:
            return .fail(.protocolViolation("a SASL message before SASL started"))
        }
    }

    /// A message's kind for an error line (never its content: it may hold row values).
    static func name(_ message: PostgresBackendMessage) -> String {
        switch message {
        case .authentication: "Authentication"
        case .backendKeyData: "BackendKeyData"
        case .bindComplete: "BindComplete"
        case .closeComplete: "CloseComplete"
        case .commandComplete: "CommandComplete"
        case .dataRow: "DataRow"
        case .emptyQueryResponse: "EmptyQueryResponse"
        case .error: "ErrorResponse"
        case .notice: "NoticeResponse"
        case .noData: "NoData"
        case .notification: "NotificationResponse"
        case .parameterDescription: "ParameterDescription"
        case .parameterStatus: "ParameterStatus"
        case .parseComplete: "ParseComplete"
        case .portalSuspended: "PortalSuspended"
        case .readyForQuery: "ReadyForQuery"
        case .rowDescription: "RowDescription"
        case .copyResponse: "CopyResponse"
        case .negotiateProtocolVersion: "NegotiateProtocolVersion"
        }
    }
}
