/// Whether a parameter or result column travels as text or in PostgreSQL's binary form.
public enum PostgresFormat: Int16, Sendable, Equatable {
    case text = 0
    case binary = 1
}

/// A message the client sends (protocol 3.0, PostgreSQL docs chapter 55.7). COPY and the
/// function-call subprotocol are left out: the store uses neither.
public enum PostgresFrontendMessage: Sendable, Equatable {
    /// The first message: protocol 3.0 and the run-time parameters (`user`, `database`, ...).
    case startup(parameters: [StartupParameter])
    /// Asks the server to switch to TLS before the startup message (answered with one byte).
    case sslRequest
    /// Asks the server (on a new connection) to cancel the query running on another.
    case cancelRequest(processID: Int32, secretKey: Int32)
    /// The SASL mechanism chosen and its first message (SCRAM's client-first).
    case saslInitialResponse(mechanism: String, data: [UInt8])
    /// A following SASL message (SCRAM's client-final).
    case saslResponse([UInt8])
    /// Prepares `query` as the statement `name` ("" for the unnamed one).
    case parse(name: String, query: String, parameterTypes: [UInt32])
    /// Binds parameter values (nil for NULL) to a prepared statement, making a portal.
    case bind(portal: String, statement: String, parameterFormats: [PostgresFormat], parameters: [[UInt8]?],
              resultFormats: [PostgresFormat])
    /// Asks for a statement's parameter and row descriptions.
    case describeStatement(String)
    /// Asks for a portal's row description.
    case describePortal(String)
    /// Runs a portal; `maxRows` 0 means all rows.
    case execute(portal: String, maxRows: Int32)
    /// Ends an extended-query batch: the server answers ReadyForQuery (and ends an error's skip).
    case sync
    /// Asks the server to send what it has without ending the batch.
    case flush
    /// Drops the prepared statement `name`.
    case closeStatement(String)
    /// A simple query: one or more statements, no parameters, text results.
    case query(String)
    /// Says goodbye before closing the socket.
    case terminate

    /// One `name=value` run-time parameter of the startup message.
    public struct StartupParameter: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Protocol 3.0 (major 3, minor 0).
    static let protocolVersion: Int32 = 196_608
    /// The magic "version" numbers of SSLRequest and CancelRequest.
    static let sslRequestCode: Int32 = 80_877_103
    static let cancelRequestCode: Int32 = 80_877_102

    /// The message's bytes; throws when a string holds a NUL byte or a count overflows the
    /// protocol's 16-bit fields.
    public func encoded() throws(PostgresError) -> [UInt8] {
        var writer = PostgresMessageWriter()
        try encode(into: &writer)
        return writer.bytes
    }

    /// Appends the message to `writer`, so a batch (Bind, Execute, Sync) goes out in one write.
    func encode(into writer: inout PostgresMessageWriter) throws(PostgresError) {
        switch self {
        case .startup(let parameters):
            try untyped(&writer) { w throws(PostgresError) in
                w.int32(Self.protocolVersion)
                for parameter in parameters {
                    try w.cString(parameter.name, field: "startup parameter name")
                    try w.cString(parameter.value, field: "startup parameter \(parameter.name)")
                }
                w.int8(0)
            }
        case .sslRequest:
            try untyped(&writer) { w in w.int32(Self.sslRequestCode) }
        case .cancelRequest(let processID, let secretKey):
            try untyped(&writer) { w in
                w.int32(Self.cancelRequestCode); w.int32(processID); w.int32(secretKey)
            }
        case .saslInitialResponse(let mechanism, let data):
            try typed("p", &writer) { w throws(PostgresError) in
                try w.cString(mechanism, field: "SASL mechanism")
                w.int32(Int32(data.count)); w.raw(data)
            }
        case .saslResponse(let data):
            try typed("p", &writer) { w in w.raw(data) }
        case .parse(let name, let query, let types):
            try typed("P", &writer) { w throws(PostgresError) in
                try w.cString(name, field: "statement name")
                try w.cString(query, field: "query")
                try w.int16(Self.count(types.count, "parameter types"))
                for type in types { w.int32(Int32(bitPattern: type)) }
            }
        case .bind(let portal, let statement, let parameterFormats, let parameters, let resultFormats):
            try typed("B", &writer) { w throws(PostgresError) in
                try w.cString(portal, field: "portal name")
                try w.cString(statement, field: "statement name")
                try w.int16(Self.count(parameterFormats.count, "parameter formats"))
                for format in parameterFormats { w.int16(format.rawValue) }
                try w.int16(Self.count(parameters.count, "parameters"))
                for parameter in parameters {
                    if let value = parameter {
                        guard value.count <= Int(Int32.max) else { throw .invalidArgument("a parameter is too long") }
                        w.int32(Int32(value.count)); w.raw(value)
                    } else {
                        w.int32(-1)
                    }
                }
                try w.int16(Self.count(resultFormats.count, "result formats"))
                for format in resultFormats { w.int16(format.rawValue) }
            }
        case .describeStatement(let name):
            try typed("D", &writer) { w throws(PostgresError) in w.int8(UInt8(ascii: "S")); try w.cString(name, field: "statement name") }
        case .describePortal(let name):
            try typed("D", &writer) { w throws(PostgresError) in w.int8(UInt8(ascii: "P")); try w.cString(name, field: "portal name") }
        case .execute(let portal, let maxRows):
            try typed("E", &writer) { w throws(PostgresError) in try w.cString(portal, field: "portal name"); w.int32(maxRows) }
        case .sync:
            try typed("S", &writer) { _ in }
        case .flush:
            try typed("H", &writer) { _ in }
        case .closeStatement(let name):
            try typed("C", &writer) { w throws(PostgresError) in w.int8(UInt8(ascii: "S")); try w.cString(name, field: "statement name") }
        case .query(let sql):
            try typed("Q", &writer) { w throws(PostgresError) in try w.cString(sql, field: "query") }
        case .terminate:
            try typed("X", &writer) { _ in }
        }
    }

    /// A counted list in the protocol has a 16-bit count.
    private static func count(_ n: Int, _ what: String) throws(PostgresError) -> Int16 {
        guard n <= Int(Int16.max) else { throw .invalidArgument("too many \(what): \(n) (at most \(Int16.max))") }
        return Int16(n)
    }

    /// A message with a type byte, then its length (which counts itself), then `body`.
    private func typed(_ type: Unicode.Scalar, _ writer: inout PostgresMessageWriter,
                       _ body: (inout PostgresMessageWriter) throws(PostgresError) -> Void) throws(PostgresError) {
        writer.int8(UInt8(ascii: type))
        try untyped(&writer, body)
    }

    /// The startup-phase messages have no type byte: only the length and `body`.
    private func untyped(_ writer: inout PostgresMessageWriter,
                         _ body: (inout PostgresMessageWriter) throws(PostgresError) -> Void) throws(PostgresError) {
        let start = writer.bytes.count
        writer.int32(0)
        try body(&writer)
        try writer.patchLength(at: start)
    }
}
