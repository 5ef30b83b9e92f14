import Testing
@testable import Mailer

@Suite("SMTP reply parser")
struct SMTPReplyParserTests {
    static let ehlo = "250-peer.test Hello\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"

    @Test("a multi-line EHLO reply parses from every split point")
    func everySplitPoint() throws {
        let bytes = Array((Self.ehlo + "220 ready\r\n").utf8)
        for split in 0...bytes.count {
            var parser = SMTPReplyParser()
            var replies: [SMTPReply] = []
            parser.feed(bytes[..<split])
            while let reply = try parser.next() { replies.append(reply) }
            parser.feed(bytes[split...])
            while let reply = try parser.next() { replies.append(reply) }
            #expect(replies == [
                SMTPReply(code: 250, lines: ["peer.test Hello", "SIZE 1000", "8BITMIME", "STARTTLS", "AUTH PLAIN LOGIN"]),
                SMTPReply(code: 220, lines: ["ready"]),
            ], "split at \(split)")
        }
    }

    @Test("byte by byte, bare LF and code-only lines")
    func byteByByte() throws {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for byte in "354\n221 2.0.0 Bye\r\n".utf8 {
            parser.feed([byte])
            while let reply = try parser.next() { replies.append(reply) }
        }
        #expect(replies == [SMTPReply(code: 354, lines: [""]), SMTPReply(code: 221, lines: ["2.0.0 Bye"])])
        #expect(!parser.hasBufferedBytes)
    }

    @Test("extensions come from EHLO lines after the first")
    func extensions() throws {
        var parser = SMTPReplyParser()
        parser.feed(Array(Self.ehlo.utf8))
        let reply = try #require(try parser.next())
        let extensions = SMTPClient.extensions(of: reply)
        #expect(extensions["SIZE"] == "1000")
        #expect(extensions["AUTH"] == "PLAIN LOGIN")
        #expect(extensions["STARTTLS"] == "")
        #expect(extensions["PEER.TEST"] == nil)
    }

    @Test("malformed replies are typed errors", arguments: [
        ("hello\r\n", SMTPReplyError.malformedLine),
        ("25\r\n", .malformedLine),
        ("250x\r\n", .malformedLine),
        ("650 no\r\n", .malformedLine),
        ("250-a\r\n251 b\r\n", .inconsistentCode),
    ])
    func malformed(_ input: String, _ expected: SMTPReplyError) {
        var parser = SMTPReplyParser()
        parser.feed(Array(input.utf8))
        #expect(throws: expected) {
            while try parser.next() != nil {}
        }
    }

    @Test("limits bound a hostile server")
    func limits() {
        var long = SMTPReplyParser(limits: SMTPReplyLimits(maximumLineLength: 64, maximumLines: 4))
        long.feed(Array(repeating: UInt8(ascii: "2"), count: 65))
        #expect(throws: SMTPReplyError.lineTooLong) { try long.next() }

        var many = SMTPReplyParser(limits: SMTPReplyLimits(maximumLineLength: 64, maximumLines: 4))
        many.feed(Array(String(repeating: "250-x\r\n", count: 5).utf8))
        #expect(throws: SMTPReplyError.tooManyLines) { while try many.next() != nil {} }
    }

    @Test("reply classes follow RFC 5321 §4.2.1")
    func classes() {
        #expect(SMTPReply(code: 451, lines: []).isTransientFailure)
        #expect(SMTPReply(code: 550, lines: []).isPermanentFailure)
        #expect(SMTPError.unexpectedReply(command: "DATA", reply: SMTPReply(code: 550, lines: ["no"])).isPermanent)
        #expect(!SMTPError.unexpectedReply(command: "DATA", reply: SMTPReply(code: 451, lines: ["later"])).isPermanent)
        #expect(!SMTPError.connectionClosed.isPermanent)
    }
}

@Suite("Log redaction")
struct LogRedactionTests {
    @Test("addresses echoed by servers lose their local part")
    func redactsAddresses() {
        #expect(LogRedaction.addresses(in: "RCPT: 550 5.1.1 <ana@example.co>: unknown")
            == "RCPT: 550 5.1.1 <***@example.co>: unknown")
        #expect(LogRedaction.addresses(in: "user ana.m@x.co, bob@y.co") == "user ***@x.co, ***@y.co")
        #expect(LogRedaction.addresses(in: "451 4.3.0 try later") == "451 4.3.0 try later")
    }
}
