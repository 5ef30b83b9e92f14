import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection TCP server on 127.0.0.1 that plays a fixed script: for each step it reads
/// one command line and writes the reply bytes, possibly in pieces. For what a real server
/// will not do on request: replies split across writes, injected bytes, malformed replies.
final class ScriptedSMTPServer: @unchecked Sendable {
    /// One exchange: the server sends `reply` in `pieces` writes, after reading a line if
    /// `readsLine`.
    struct Step: Sendable {
        var readsLine: Bool
        var reply: [UInt8]
        var pieces: Int
        var closeAfter: Bool

        static func greet(_ text: String, pieces: Int = 1) -> Step {
            Step(readsLine: false, reply: Array(text.utf8), pieces: pieces, closeAfter: false)
        }
        static func answer(_ text: String, pieces: Int = 1, close: Bool = false) -> Step {
            Step(readsLine: true, reply: Array(text.utf8), pieces: pieces, closeAfter: close)
        }
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ steps: [Step]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.serve(steps) }
        thread.start()
    }

    deinit { close(listener) }

    /// The command lines the client sent, once the script has ended.
    func commands(timeout: TimeInterval = 10) -> [String] {
        _ = done.wait(timeout: .now() + timeout)
        return lock.withLock { received }
    }

    private func serve(_ steps: [Step]) {
        defer { done.signal() }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for step in steps {
            if step.readsLine {
                guard let line = readLine(connection) else { return }
                lock.withLock { received.append(line) }
            }
            let size = max(1, (step.reply.count + step.pieces - 1) / max(1, step.pieces))
            var offset = 0
            while offset < step.reply.count {
                let end = min(step.reply.count, offset + size)
                let chunk = Array(step.reply[offset..<end])
                _ = chunk.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                offset = end
                if offset < step.reply.count { usleep(20_000) }
            }
            if step.closeAfter { return }
        }
        // Hold the connection until the client closes it.
        var byte: UInt8 = 0
        while recv(connection, &byte, 1, 0) > 0 {}
    }

    private func readLine(_ connection: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while recv(connection, &byte, 1, 0) == 1 {
            if byte == 0x0A { return String(decoding: bytes.filter { $0 != 0x0D }, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
