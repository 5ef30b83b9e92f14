import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client that speaks HTTP/1.1 byte by byte, for live-server tests.
///
/// No HTTP library on purpose: tests must be able to send what a browser never would
/// (pipelined requests, malformed heads, one byte at a time) and see exactly what comes back,
/// including whether the server closed the connection.
public final class RawHTTPClient {
    /// Failures of the client itself (not of the server under test).
    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case timedOut
        case closed
        case malformed(String)

        public var description: String {
            switch self {
            case .connect(let code): "connect failed: errno \(code)"
            case .timedOut: "timed out waiting for the server"
            case .closed: "the server closed the connection"
            case .malformed(let text): "malformed response: \(text)"
            }
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var isOpen = true

    /// Connects to `host:port` (IPv4 or IPv6 literal); reads give up after `timeout` seconds.
    /// `source` (an IPv4 literal such as `127.0.0.7`) binds the local end first, so one test
    /// can be many loopback clients (all of 127.0.0.0/8 is this machine on Linux).
    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 5, source: String? = nil) throws {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.connect(errno) }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4))
        if let source, family == AF_INET {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let code = errno
                Glibc.close(descriptor)
                throw Failure.connect(code)
            }
        }
        var result: Int32
        if family == AF_INET6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure.connect(code)
        }
        setTimeout(timeout)
    }

    deinit { close() }

    /// Changes how long a read waits.
    public func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends every byte (blocking).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.closed }
            offset += n
        }
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Half-closes: the server reads end-of-file after the bytes sent so far.
    public func shutdownWrite() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response. `forHead: true` expects no body whatever `Content-Length` says.
    public func readResponse(forHead: Bool = false) throws -> RawHTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.firstRange(of: separator)?.upperBound
            if headEnd == nil { try fill() }
        }
        var response = try RawHTTPResponse(head: buffer[..<headEnd!])
        let status = response.status
        buffer.removeFirst(headEnd!)
        let length = (forHead || status == 304 || status == 204 || status < 200) ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length { try fill() }
        response.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return response
    }

    /// Whether the server closes the connection (end-of-file or reset) within the read timeout,
    /// discarding whatever else it sends first.
    public func waitsForClose() -> Bool {
        buffer.removeAll()
        while true {
            do { try fill() } catch Failure.closed { return true } catch { return false }
            buffer.removeAll()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[..<n])
            return
        }
        if n == 0 { throw Failure.closed }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { throw Failure.timedOut }
        if code == EINTR { return }
        throw Failure.closed
    }

    /// Closes the socket.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(descriptor)
    }
}

/// A response as `RawHTTPClient` read it.
public struct RawHTTPResponse {
    /// The status line's version (`HTTP/1.1`), empty for a response built from its parts.
    public var version = ""
    public var status: Int
    public var reason: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The status line and fields of `head` (up to and including the empty line), no body yet.
    public init(head: some Collection<UInt8>) throws {
        var text = String(decoding: head, as: UTF8.self)
        if text.hasSuffix("\r\n\r\n") { text.removeLast(2) }
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw RawHTTPClient.Failure.malformed(statusLine)
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw RawHTTPClient.Failure.malformed(line) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.init(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        version = String(parts[0])
    }

    /// The first value of `name`, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
