import Foundation
import Testing
@testable import Mailer

/// The client against scripted servers: what aiosmtpd will not do on request.
@Suite("SMTP client against scripted servers")
struct SMTPClientScriptTests {
    func client(port: Int, security: SMTPURL.Security = .none) throws -> SMTPClient {
        try SMTPClient(configuration: SMTPClientConfiguration(
            url: SMTPURL(host: "127.0.0.1", port: port, security: security), ehloName: "clave.test",
            connectTimeout: 5, ioTimeout: 5))
    }

    @Test("replies split across many TCP writes are reassembled")
    func splitReplies() throws {
        let server = try ScriptedSMTPServer([
            .greet("220-peer.test\r\n220 ready\r\n", pieces: 7),
            .answer("250-peer.test\r\n250-SIZE 100000\r\n250 8BITMIME\r\n", pieces: 11),
            .answer("250 ok\r\n", pieces: 3),
            .answer("250 ok\r\n"),
            .answer("354 go\r\n", pieces: 2),
            .answer("250 queued\r\n", pieces: 4),
            .answer("221 bye\r\n"),
        ])
        let client = try client(port: server.port)
        try client.open()
        #expect(client.extensions["SIZE"] == "100000")
        // The script answers the payload line "x" with 250 and the final "." with 221.
        try client.send(from: "a@clave.test", to: "b@example.co", message: Array("x".utf8))
        client.quit()
        let commands = server.commands()
        #expect(commands.prefix(4) == ["EHLO clave.test", "MAIL FROM:<a@clave.test> SIZE=1", "RCPT TO:<b@example.co>", "DATA"])
    }

    @Test("a 554 greeting is refused (RFC 5321 §3.1)")
    func refusedGreeting() throws {
        let server = try ScriptedSMTPServer([.greet("554 no service\r\n")])
        let client = try client(port: server.port)
        #expect(throws: SMTPError.unexpectedReply(command: "greeting", reply: SMTPReply(code: 554, lines: ["no service"]))) {
            try client.open()
        }
        #expect(!client.isOpen)
    }

    @Test("garbage instead of a reply is a protocol violation, not a crash")
    func garbage() throws {
        let server = try ScriptedSMTPServer([.greet("HTTP/1.1 400 Bad Request\r\n")])
        let client = try client(port: server.port)
        #expect(throws: SMTPError.self) { try client.open() }
    }

    @Test("a connection closed in the middle of a reply is temporary")
    func closedMidReply() throws {
        let server = try ScriptedSMTPServer([.greet("220 ready\r\n"), .answer("250-peer.test\r\n250-SIZ", close: true)])
        let client = try client(port: server.port)
        #expect(throws: SMTPError.connectionClosed) { try client.open() }
        #expect(!SMTPError.connectionClosed.isPermanent)
    }

    @Test("bytes pipelined after the STARTTLS reply are refused (RFC 3207 §4.2, response injection)")
    func startTLSInjection() throws {
        let server = try ScriptedSMTPServer([
            .greet("220 ready\r\n"),
            .answer("250-peer.test\r\n250 STARTTLS\r\n"),
            .answer("220 go ahead\r\n250 injected\r\n"),
        ])
        let client = try client(port: server.port, security: .startTLS)
        #expect {
            try client.open()
        } throws: { error in
            guard case SMTPError.protocolViolation(let detail) = error else { return false }
            return detail.contains("STARTTLS")
        }
    }

    @Test("a greeting that never comes ends in the read timeout")
    func silentServer() throws {
        let server = try ScriptedSMTPServer([.answer("")])
        let client = try SMTPClient(configuration: SMTPClientConfiguration(
            url: SMTPURL(host: "127.0.0.1", port: server.port, security: .none), connectTimeout: 5, ioTimeout: 0.3))
        #expect(throws: SMTPError.timeout) { try client.open() }
    }
}
