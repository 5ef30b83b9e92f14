@testable import PostgresClient

/// Builds backend messages as a server would send them, for decoder tests and the fuzz seeds.
enum BackendMessageBytes {
    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [type.asciiValue!] + (0..<4).map { UInt8((length >> UInt32(24 - 8 * $0)) & 0xFF) } + body
    }

    static func int32(_ v: Int32) -> [UInt8] {
        let u = UInt32(bitPattern: v)
        return (0..<4).map { UInt8((u >> UInt32(24 - 8 * $0)) & 0xFF) }
    }

    static func int16(_ v: Int16) -> [UInt8] {
        let u = UInt16(bitPattern: v)
        return [UInt8(u >> 8), UInt8(u & 0xFF)]
    }

    static func cString(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

    /// A typical exchange: authentication done, parameters, key, a described row, data, errors.
    static let session: [UInt8] = {
        var bytes: [UInt8] = []
        bytes += message("R", int32(0))
        bytes += message("S", cString("server_version") + cString("15.18"))
        bytes += message("K", int32(4242) + int32(-7))
        bytes += message("Z", [UInt8(ascii: "I")])
        bytes += message("1", [])
        bytes += message("t", int16(2) + int32(25) + int32(20))
        bytes += message("T", int16(2)
            + cString("email") + int32(16_384) + int16(2) + int32(25) + int16(-1) + int32(-1) + int16(1)
            + cString("id") + int32(16_384) + int16(1) + int32(20) + int16(8) + int32(-1) + int16(1))
        bytes += message("2", [])
        bytes += message("D", int16(2) + int32(3) + Array("a@b".utf8) + int32(-1))
        bytes += message("C", cString("SELECT 1"))
        bytes += message("N", [UInt8(ascii: "S")] + cString("WARNING") + [UInt8(ascii: "C")] + cString("01000")
            + [UInt8(ascii: "M")] + cString("careful") + [0])
        bytes += message("A", int32(99) + cString("outbox") + cString("42"))
        bytes += message("E", [UInt8(ascii: "S")] + cString("ERROR") + [UInt8(ascii: "V")] + cString("ERROR")
            + [UInt8(ascii: "C")] + cString("23505") + [UInt8(ascii: "M")] + cString("duplicate key")
            + [UInt8(ascii: "n")] + cString("users_email_key") + [0])
        bytes += message("R", int32(10) + cString("SCRAM-SHA-256-PLUS") + cString("SCRAM-SHA-256") + [0])
        bytes += message("R", int32(11) + Array("r=abc,s=c2FsdA==,i=4096".utf8))
        bytes += message("n", [])
        bytes += message("I", [])
        bytes += message("3", [])
        bytes += message("Z", [UInt8(ascii: "E")])
        return bytes
    }()

    static let sessionMessages: [PostgresBackendMessage] = [
        .authentication(.ok),
        .parameterStatus(name: "server_version", value: "15.18"),
        .backendKeyData(processID: 4242, secretKey: -7),
        .readyForQuery(.idle),
        .parseComplete,
        .parameterDescription([25, 20]),
        .rowDescription([
            PostgresColumn(name: "email", tableOID: 16_384, columnNumber: 2, typeOID: 25, typeSize: -1, typeModifier: -1, format: .binary),
            PostgresColumn(name: "id", tableOID: 16_384, columnNumber: 1, typeOID: 20, typeSize: 8, typeModifier: -1, format: .binary),
        ]),
        .bindComplete,
        .dataRow([Array("a@b".utf8), nil]),
        .commandComplete("SELECT 1"),
        .notice(PostgresServerError(fields: [UInt8(ascii: "S"): "WARNING", UInt8(ascii: "C"): "01000", UInt8(ascii: "M"): "careful"])),
        .notification(PostgresNotification(processID: 99, channel: "outbox", payload: "42")),
        .error(PostgresServerError(fields: [UInt8(ascii: "S"): "ERROR", UInt8(ascii: "V"): "ERROR", UInt8(ascii: "C"): "23505",
                                            UInt8(ascii: "M"): "duplicate key", UInt8(ascii: "n"): "users_email_key"])),
        .authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])),
        .authentication(.saslContinue(Array("r=abc,s=c2FsdA==,i=4096".utf8))),
        .noData,
        .emptyQueryResponse,
        .closeComplete,
        .readyForQuery(.failed),
    ]
}
