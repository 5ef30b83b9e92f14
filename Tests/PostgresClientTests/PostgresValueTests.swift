import Foundation
import Testing
@testable import PostgresClient

@Suite("PostgreSQL values and configuration")
struct PostgresValueTests {
    @Test("binary parameters decode back to themselves")
    func binaryRoundTrip() throws {
        let values: [PostgresValue] = [.text("señal ✓"), .int64(-42), .int64(.max), .float64(-0.125), .bool(true),
                                       .bool(false), .bytea([0, 1, 255]), .timestamptz(Date(timeIntervalSince1970: 1_700_000_000.25)),
                                       .timestamptz(Date(timeIntervalSince1970: 0)), .null]
        for value in values {
            let decoded = try PostgresValue.decode(value.binary, typeOID: value == .null ? PostgresType.text : value.typeOID,
                                                   format: .binary, column: "c")
            #expect(decoded == value)
        }
    }

    @Test("narrow integers sign-extend and text forms parse")
    func narrowAndText() throws {
        #expect(try PostgresValue.decode([0xFF, 0xFE], typeOID: PostgresType.int2, format: .binary, column: "c") == .int64(-2))
        #expect(try PostgresValue.decode([0x80, 0, 0, 0], typeOID: PostgresType.int4, format: .binary, column: "c") == .int64(-2_147_483_648))
        #expect(try PostgresValue.decode(Array("-17".utf8), typeOID: PostgresType.int8, format: .text, column: "c") == .int64(-17))
        #expect(try PostgresValue.decode(Array("t".utf8), typeOID: PostgresType.bool, format: .text, column: "c") == .bool(true))
        #expect(try PostgresValue.decode(Array("\\x00ff".utf8), typeOID: PostgresType.bytea, format: .text, column: "c") == .bytea([0, 255]))
        #expect(try PostgresValue.decode(Array("2.5".utf8), typeOID: PostgresType.float8, format: .text, column: "c") == .float64(2.5))
        #expect(try PostgresValue.decode(Array("{1,2}".utf8), typeOID: 1007, format: .text, column: "c") == .text("{1,2}"))
    }

    @Test("wrong widths and bad text are decoding errors naming the column")
    func badValues() {
        #expect(throws: PostgresError.decoding(column: "id", reason: "integer of 3 bytes, expected 8")) {
            try PostgresValue.decode([1, 2, 3], typeOID: PostgresType.int8, format: .binary, column: "id")
        }
        #expect(throws: PostgresError.self) { try PostgresValue.decode([0xFF], typeOID: PostgresType.text, format: .binary, column: "c") }
        #expect(throws: PostgresError.self) { try PostgresValue.decode(Array("\\x0g".utf8), typeOID: PostgresType.bytea, format: .text, column: "c") }
        #expect(throws: PostgresError.self) { try PostgresValue.decode(Array("yes".utf8), typeOID: PostgresType.bool, format: .text, column: "c") }
    }

    @Test("rows read typed columns and refuse the wrong type")
    func rows() throws {
        let row = PostgresRow(values: [.int64(3), .null, .float64(1.5), .text("x")], columns: ["id", "gone", "at", "name"])
        #expect(try row.int(0) == 3)
        #expect(try row.optionalString(1) == nil)
        #expect(try row.date(2) == Date(timeIntervalSince1970: 1.5))
        #expect(throws: PostgresError.decoding(column: "name", reason: "expected an integer")) { try row.int64(3) }
        #expect(throws: PostgresError.decoding(column: "#9", reason: "no such column")) { try row.string(9) }
        #expect(PostgresQueryResult(columns: [], rows: [], commandTag: "INSERT 0 3").affectedRows == 3)
    }

    @Test("a database URL parses, and a typo in it is an error rather than a silent default")
    func url() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://clave:p%40ss%3Aword@db.internal:6432/clave?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6432)
        #expect(configuration.user == "clave")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == "clave")
        #expect(configuration.sslMode == .verifyFull)
        #expect(configuration.sslRootCertificate == "/etc/ca.pem")
        #expect(configuration.connectTimeout == 3)
        #expect(!configuration.redactedDescription.contains("word"))
        #expect(try PostgresConfiguration(url: "postgresql://u@h/d").sslMode == .verifyFull)
        for bad in ["postgres://u@h/d?sslmode=prefer", "postgres://u@h/d?ssl_mode=disable", "mysql://u@h/d",
                    "postgres://u@h/", "postgres://h/d", "postgres://u@h:0/d", "not a url"] {
            #expect(throws: PostgresError.self, "\(bad)") { try PostgresConfiguration(url: bad) }
        }
    }
}
