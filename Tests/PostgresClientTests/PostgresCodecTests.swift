import Testing
import TestSupport
@testable import PostgresClient

@Suite("PostgreSQL message codec")
struct PostgresCodecTests {
    private func decodeAll(_ decoder: inout PostgresBackendDecoder) throws -> [PostgresBackendMessage] {
        var out: [PostgresBackendMessage] = []
        while let message = try decoder.next() { out.append(message) }
        return out
    }

    @Test("a session's messages decode the same from every split point")
    func everySplitPoint() throws {
        let bytes = BackendMessageBytes.session
        for split in 0...bytes.count {
            var decoder = PostgresBackendDecoder()
            decoder.feed(bytes[..<split])
            var messages = try decodeAll(&decoder)
            decoder.feed(bytes[split...])
            messages += try decodeAll(&decoder)
            #expect(messages == BackendMessageBytes.sessionMessages, "split at \(split)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test("byte by byte, every message arrives once it is complete")
    func byteByByte() throws {
        var decoder = PostgresBackendDecoder()
        var messages: [PostgresBackendMessage] = []
        for byte in BackendMessageBytes.session {
            decoder.feed([byte])
            messages += try decodeAll(&decoder)
        }
        #expect(messages == BackendMessageBytes.sessionMessages)
    }

    @Test("a length past the limit is refused before the body arrives, and the error stays")
    func oversizedLength() throws {
        var decoder = PostgresBackendDecoder(limits: PostgresMessageLimits(maximumMessageLength: 1_000))
        decoder.feed([UInt8(ascii: "D"), 0x7F, 0xFF, 0xFF, 0xFF])
        #expect(throws: PostgresProtocolError.badLength(0x7FFF_FFFF)) { try decoder.next() }
        decoder.feed(BackendMessageBytes.message("Z", [UInt8(ascii: "I")]))
        #expect(throws: PostgresProtocolError.badLength(0x7FFF_FFFF)) { try decoder.next() }
    }

    @Test("lying lengths, unknown types and bad fields are errors, not traps")
    func malformed() {
        let cases: [[UInt8]] = [
            [UInt8(ascii: "Z"), 0, 0, 0, 3],                                            // length below 4
            BackendMessageBytes.message("?", []),                                       // unknown type
            BackendMessageBytes.message("Z", [UInt8(ascii: "Q")]),                      // unknown status
            BackendMessageBytes.message("Z", []),                                       // truncated
            BackendMessageBytes.message("K", BackendMessageBytes.int32(1)),             // truncated
            BackendMessageBytes.message("C", Array("no terminator".utf8)),              // no NUL
            BackendMessageBytes.message("C", [0xFF, 0xFE, 0]),                          // not UTF-8
            BackendMessageBytes.message("D", BackendMessageBytes.int16(1) + BackendMessageBytes.int32(10) + [1]),
            BackendMessageBytes.message("D", BackendMessageBytes.int16(-1)),
            BackendMessageBytes.message("D", BackendMessageBytes.int16(1) + BackendMessageBytes.int32(-2)),
            BackendMessageBytes.message("1", [0]),                                      // trailing byte
            BackendMessageBytes.message("R", BackendMessageBytes.int32(99)),            // unknown auth
            BackendMessageBytes.message("E", [UInt8(ascii: "M")] + Array("x".utf8)),    // unterminated field
        ]
        for bytes in cases {
            var decoder = PostgresBackendDecoder()
            decoder.feed(bytes)
            #expect(throws: PostgresProtocolError.self, "\(bytes)") { try decoder.next() }
        }
    }

    @Test("random bytes never crash the decoder, and it never loops")
    func randomJunk() {
        var random = SeededRandom(seed: 14)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...200, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if !bytes.isEmpty, Bool.random(using: &random) {
                // A plausible type byte and a small length, so decoding goes past the framing.
                bytes[0] = Array("RKSZTDCENAt123nIsGHWv".utf8).randomElement(using: &random)!
                if bytes.count > 5 { bytes[1] = 0; bytes[2] = 0; bytes[3] = 0; bytes[4] = UInt8(min(bytes.count - 1, 255)) }
            }
            var decoder = PostgresBackendDecoder()
            decoder.feed(bytes)
            var steps = 0
            while steps < 1_000, let _ = try? decoder.next() { steps += 1 }
            #expect(steps < 1_000)
        }
    }

    @Test("frontend messages encode as the protocol says")
    func frontendBytes() throws {
        #expect(try PostgresFrontendMessage.sync.encoded() == [UInt8(ascii: "S"), 0, 0, 0, 4])
        #expect(try PostgresFrontendMessage.sslRequest.encoded() == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
        #expect(try PostgresFrontendMessage.query("SELECT 1").encoded()
            == [UInt8(ascii: "Q"), 0, 0, 0, 13] + Array("SELECT 1".utf8) + [0])
        let startup = try PostgresFrontendMessage.startup(parameters: [.init("user", "ana")]).encoded()
        #expect(startup == [0, 0, 0, 18, 0, 3, 0, 0] + Array("user\0ana\0\0".utf8))
        let bind = try PostgresFrontendMessage.bind(portal: "", statement: "s1", parameterFormats: [.binary],
                                                    parameters: [[1, 2], nil], resultFormats: [.binary, .text]).encoded()
        #expect(bind == [UInt8(ascii: "B"), 0, 0, 0, 30, 0] + Array("s1".utf8) + [0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 1, 2,
                                                                                     0xFF, 0xFF, 0xFF, 0xFF, 0, 2, 0, 1, 0, 0])
        let parse = try PostgresFrontendMessage.parse(name: "", query: "SELECT $1", parameterTypes: [20]).encoded()
        #expect(parse == [UInt8(ascii: "P"), 0, 0, 0, 21, 0] + Array("SELECT $1".utf8) + [0, 0, 1, 0, 0, 0, 20])
    }

    @Test("a NUL byte in SQL or a name is refused instead of cutting the message short")
    func nulRefused() {
        #expect(throws: PostgresError.invalidArgument("query contains a NUL byte")) {
            try PostgresFrontendMessage.query("SELECT 1;\0DROP TABLE users").encoded()
        }
        #expect(throws: PostgresError.self) {
            try PostgresFrontendMessage.startup(parameters: [.init("user", "a\0b")]).encoded()
        }
    }

    @Test("more than 32,767 parameters is a clear error")
    func tooManyParameters() {
        let parameters = [[UInt8]?](repeating: nil, count: 40_000)
        #expect(throws: PostgresError.self) {
            try PostgresFrontendMessage.bind(portal: "", statement: "", parameterFormats: [], parameters: parameters,
                                             resultFormats: []).encoded()
        }
    }
}
