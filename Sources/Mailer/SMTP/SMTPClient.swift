import ClaveCrypto
import ClaveLog
import Foundation

/// An SMTP submission client (RFC 5321) for one session: connect, EHLO (HELO fallback),
/// STARTTLS (RFC 3207) or implicit TLS (RFC 8314), AUTH PLAIN (RFC 4616) or LOGIN only over
/// TLS, then any number of transactions on the same connection, then QUIT.
///
/// Not thread-safe: one session belongs to one thread (the outbox worker).
public final class SMTPClient {
    /// Server, EHLO name and timeouts.
    public let configuration: SMTPClientConfiguration
    private let tlsContext: TLSClientContext?
    private let log: Logger
    private var connection: SMTPConnection?
    /// EHLO keywords (upper case) and their parameters, from the last EHLO.
    public private(set) var extensions: [String: String] = [:]

    /// Whether a session is open.
    public var isOpen: Bool { connection != nil }
    /// Whether the open session is encrypted.
    public var isTLS: Bool { connection?.isTLS ?? false }

    /// `tlsContext` is shared by sessions; pass nil to have one made from the URL's `ca=`.
    public init(configuration: SMTPClientConfiguration, tlsContext: TLSClientContext? = nil,
                logger: Logger = Logger(label: "smtp")) throws(SMTPError) {
        self.configuration = configuration
        self.log = logger
        if let tlsContext {
            self.tlsContext = tlsContext
        } else if configuration.url.security != .none {
            do {
                self.tlsContext = try TLSClientContext(configuration: TLSClientConfiguration(caFile: configuration.url.caFile))
            } catch {
                throw .tls(error.description)
            }
        } else {
            self.tlsContext = nil
        }
    }

    deinit { connection?.close() }

    /// Opens the session: greeting, EHLO, TLS, AUTH. On any error the connection is closed.
    public func open() throws(SMTPError) {
        close()
        let url = configuration.url
        let connection = try SMTPConnection(host: url.host, port: url.port, configuration: configuration)
        self.connection = connection
        do {
            if url.security == .implicitTLS, let tlsContext {
                try connection.startTLS(context: tlsContext, host: url.host)
            }
            // RFC 5321 §4.3.1: the greeting is 220; 554 means "no service here".
            try expect(try connection.readReply(), 220, after: "greeting")
            try hello()
            if url.security == .startTLS {
                guard extensions["STARTTLS"] != nil, let tlsContext else { throw SMTPError.startTLSUnavailable }
                try command("STARTTLS", expecting: 220)
                try connection.startTLS(context: tlsContext, host: url.host)
                // RFC 3207 §4.2: forget what the server said before TLS and ask again.
                try hello()
            }
            if let user = url.username, let password = url.password {
                try authenticate(user: user, password: password)
            }
            log.debug("smtp session open", ["host": url.host, "tls": connection.isTLS ? "yes" : "no"])
        } catch let error as SMTPError {
            close()
            throw error
        } catch {
            close()
            throw .protocolViolation("\(error)")
        }
    }

    /// Sends one message: MAIL FROM, RCPT TO, DATA with dot-stuffing (RFC 5321 §4.5.2).
    /// After a refused transaction the session is reset (RSET) and stays usable; after a
    /// connection error it is closed.
    public func send(from sender: String, to recipient: String, message: [UInt8]) throws(SMTPError) {
        guard connection != nil else { throw .connectionClosed }
        do {
            var mailFrom = "MAIL FROM:<\(sender)>"
            if let limitText = extensions["SIZE"] {
                // RFC 1870 §4: declare the size; refuse early when the server announced a limit.
                if let limit = Int(limitText), limit > 0, message.count > limit {
                    throw SMTPError.messageTooLarge(size: message.count, limit: limit)
                }
                mailFrom += " SIZE=\(message.count)"
            }
            try command(mailFrom, expecting: 250)
            try command("RCPT TO:<\(recipient)>", expecting: 250, 251)
            try command("DATA", expecting: 354)
            try connection?.write(Self.dotStuffed(message))
            try expect(try readReply(), 250, after: "end of data")
        } catch let error as SMTPError {
            recover(after: error)
            throw error
        } catch {
            close()
            throw .protocolViolation("\(error)")
        }
    }

    /// Ends the session politely (QUIT, RFC 5321 §4.1.1.10) and closes it.
    public func quit() {
        if connection != nil {
            try? connection?.send(line: "QUIT")
            _ = try? connection?.readReply()
        }
        close()
    }

    /// Closes the connection without QUIT.
    public func close() {
        connection?.close()
        connection = nil
        extensions = [:]
    }

    /// The message body as DATA sends it: CRLF line ends, a "." doubled at the start of a
    /// line (RFC 5321 §4.5.2), and the terminating CRLF.CRLF.
    public static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 64)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            if atLineStart && byte == 0x2E { out.append(0x2E) }
            out.append(byte)
            atLineStart = byte == 0x0A
            previous = byte
        }
        if !atLineStart { out += [0x0D, 0x0A] }
        out += [0x2E, 0x0D, 0x0A]
        return out
    }

    // MARK: - Steps

    private func hello() throws(SMTPError) {
        try connection?.send(line: "EHLO \(configuration.ehloName)")
        let reply = try readReply()
        if reply.isPositiveCompletion {
            extensions = Self.extensions(of: reply)
            return
        }
        // RFC 5321 §3.2: a server that does not know EHLO answers 500/502; fall back to HELO.
        guard reply.code == 500 || reply.code == 502 else {
            throw .unexpectedReply(command: "EHLO", reply: reply)
        }
        extensions = [:]
        try command("HELO \(configuration.ehloName)", expecting: 250)
    }

    private func authenticate(user: String, password: String) throws(SMTPError) {
        guard connection?.isTLS == true else {
            throw .refused("AUTH is never sent without TLS")
        }
        let mechanisms = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        if mechanisms.contains("PLAIN") {
            // RFC 4616 §2: authzid NUL authcid NUL passwd.
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try secret("AUTH PLAIN " + token, shown: "AUTH PLAIN", expecting: 235)
        } else if mechanisms.contains("LOGIN") {
            try command("AUTH LOGIN", expecting: 334)
            try secret(Data(user.utf8).base64EncodedString(), shown: "AUTH LOGIN user", expecting: 334)
            try secret(Data(password.utf8).base64EncodedString(), shown: "AUTH LOGIN password", expecting: 235)
        } else {
            throw .authenticationUnavailable
        }
    }

    @discardableResult
    private func command(_ line: String, expecting codes: Int...) throws(SMTPError) -> SMTPReply {
        try connection?.send(line: line)
        let reply = try readReply()
        guard codes.contains(reply.code) else {
            throw .unexpectedReply(command: String(line.prefix(while: { $0 != ":" && $0 != " " })), reply: reply)
        }
        return reply
    }

    /// A command whose text holds a credential: errors name `shown`, never the line.
    private func secret(_ line: String, shown: String, expecting code: Int) throws(SMTPError) {
        try connection?.send(line: line)
        let reply = try readReply()
        guard reply.code == code else { throw .unexpectedReply(command: shown, reply: reply) }
    }

    private func readReply() throws(SMTPError) -> SMTPReply {
        guard let connection else { throw .connectionClosed }
        return try connection.readReply()
    }

    private func expect(_ reply: SMTPReply, _ code: Int, after step: String) throws(SMTPError) {
        guard reply.code == code else { throw .unexpectedReply(command: step, reply: reply) }
    }

    /// After a refused transaction: RSET keeps the session; 421 or a broken stream ends it.
    private func recover(after error: SMTPError) {
        switch error {
        case .unexpectedReply(_, let reply) where reply.code != 421:
            do {
                try command("RSET", expecting: 250)
            } catch {
                close()
            }
        case .messageTooLarge:
            return
        default:
            close()
        }
    }

    /// EHLO keywords (RFC 5321 §4.1.1.1: every line after the first is `keyword params`).
    static func extensions(of reply: SMTPReply) -> [String: String] {
        var result: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            result[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }
}
