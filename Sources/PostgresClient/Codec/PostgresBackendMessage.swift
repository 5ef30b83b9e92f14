/// A message the server sends (protocol 3.0). COPY data is not decoded: the client refuses
/// COPY when the server starts one (see ``PostgresConnection``).
public enum PostgresBackendMessage: Sendable, Equatable {
    case authentication(Authentication)
    case backendKeyData(processID: Int32, secretKey: Int32)
    case bindComplete
    case closeComplete
    /// The command tag: `INSERT 0 1`, `UPDATE 3`, `SELECT 2`, `BEGIN`.
    case commandComplete(String)
    /// One row: a value per column, nil for NULL.
    case dataRow([[UInt8]?])
    case emptyQueryResponse
    case error(PostgresServerError)
    case notice(PostgresServerError)
    case noData
    case notification(PostgresNotification)
    case parameterDescription([UInt32])
    case parameterStatus(name: String, value: String)
    case parseComplete
    case portalSuspended
    case readyForQuery(PostgresTransactionStatus)
    case rowDescription([PostgresColumn])
    /// CopyInResponse (`G`), CopyOutResponse (`H`) or CopyBothResponse (`W`): the type byte.
    case copyResponse(UInt8)
    /// The server cannot speak the requested minor version or protocol options.
    case negotiateProtocolVersion(newestMinor: Int32, unrecognized: [String])

    /// The `R` messages: what the server asks for to authenticate, or that it is done.
    public enum Authentication: Sendable, Equatable {
        case ok
        case kerberosV5
        case cleartextPassword
        case md5Password(salt: [UInt8])
        case gss
        case gssContinue([UInt8])
        case sspi
        /// The SASL mechanisms the server offers, in its order of preference.
        case sasl(mechanisms: [String])
        case saslContinue([UInt8])
        case saslFinal([UInt8])
    }
}

/// The transaction state ReadyForQuery reports.
public enum PostgresTransactionStatus: UInt8, Sendable, Equatable {
    /// Not in a transaction block.
    case idle = 73 // "I"
    /// In a transaction block.
    case inTransaction = 84 // "T"
    /// In a failed transaction block: every statement fails until ROLLBACK.
    case failed = 69 // "E"
}

/// A `NOTIFY` delivered to a connection that `LISTEN`s on the channel.
public struct PostgresNotification: Sendable, Equatable {
    /// The backend process that sent it.
    public var processID: Int32
    public var channel: String
    public var payload: String

    public init(processID: Int32, channel: String, payload: String) {
        self.processID = processID
        self.channel = channel
        self.payload = payload
    }
}

/// One column of a RowDescription.
public struct PostgresColumn: Sendable, Equatable {
    public var name: String
    /// The table's OID and the column's number in it, 0 when the column is computed.
    public var tableOID: UInt32
    public var columnNumber: Int16
    /// The type's OID (``PostgresType``).
    public var typeOID: UInt32
    public var typeSize: Int16
    public var typeModifier: Int32
    public var format: PostgresFormat

    public init(name: String, tableOID: UInt32 = 0, columnNumber: Int16 = 0, typeOID: UInt32, typeSize: Int16 = -1,
                typeModifier: Int32 = -1, format: PostgresFormat = .text) {
        self.name = name
        self.tableOID = tableOID
        self.columnNumber = columnNumber
        self.typeOID = typeOID
        self.typeSize = typeSize
        self.typeModifier = typeModifier
        self.format = format
    }
}
