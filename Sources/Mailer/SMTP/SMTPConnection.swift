import ClaveCrypto
import Foundation

/// The byte stream of one SMTP session: a TCP socket, upgraded to TLS after STARTTLS (or from
/// the start for `smtps://`), with the reply parser reading from whichever is current.
final class SMTPConnection {
    private let socket: TCPSocket
    private var tls: TLSClientConnection?
    private var parser: SMTPReplyParser
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    /// Whether the stream is encrypted now.
    var isTLS: Bool { tls != nil }

    init(host: String, port: Int, configuration: SMTPClientConfiguration) throws(SMTPError) {
        socket = try TCPSocket(host: host, port: port, connectTimeout: configuration.connectTimeout,
                               ioTimeout: configuration.ioTimeout)
        parser = SMTPReplyParser(limits: configuration.replyLimits)
    }

    /// Runs the TLS handshake over the socket and verifies the server as `host`.
    func startTLS(context: TLSClientContext, host: String) throws(SMTPError) {
        // RFC 3207 §4.2: anything the server sent before the handshake must be discarded;
        // buffered bytes here would be an injection attempt (CVE-2011-0411 class).
        guard !parser.hasBufferedBytes else {
            throw .protocolViolation("bytes after the STARTTLS reply, before the handshake")
        }
        do {
            tls = try TLSClientConnection(context: context, socket: socket.descriptor, host: host)
        } catch {
            throw Self.map(error)
        }
    }

    /// Writes `line` and CRLF.
    func send(line: String) throws(SMTPError) {
        try write(Array((line + "\r\n").utf8))
    }

    func write(_ bytes: [UInt8]) throws(SMTPError) {
        if let tls {
            do { try tls.write(bytes) } catch { throw Self.map(error) }
        } else {
            try socket.write(bytes)
        }
    }

    /// Reads until one whole reply has arrived.
    func readReply() throws(SMTPError) -> SMTPReply {
        while true {
            do {
                if let reply = try parser.next() { return reply }
            } catch {
                throw .protocolViolation("malformed reply (\(error))")
            }
            let tls = self.tls, socket = self.socket
            let result = buffer.withUnsafeMutableBytes { raw -> Result<Int, SMTPError> in
                if let tls {
                    do throws(TLSError) { return .success(try tls.read(into: raw)) } catch { return .failure(Self.map(error)) }
                }
                do throws(SMTPError) { return .success(try socket.read(into: raw)) } catch { return .failure(error) }
            }
            let count = try result.get()
            parser.feed(buffer[..<count])
        }
    }

    /// Closes without QUIT (after an error).
    func close() {
        tls?.shutdown()
        tls = nil
        socket.close()
    }

    private static func map(_ error: TLSError) -> SMTPError {
        switch error {
        case .timeout: .timeout
        case .closed: .connectionClosed
        default: .tls(error.description)
        }
    }
}
