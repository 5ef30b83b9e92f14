import ClaveSocket
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client socket with connect, read and write timeouts (``BlockingTCP``), its
/// failures as ``SMTPError``s: the one place the mailer reaches the socket layer.
final class TCPSocket {
    let descriptor: Int32
    private var closed = false

    /// Connects to `host:port`, trying each address `getaddrinfo` returns.
    init(host: String, port: Int, connectTimeout: TimeInterval, ioTimeout: TimeInterval) throws(SMTPError) {
        switch BlockingTCP.connect(host: host, port: port, connectTimeout: connectTimeout, ioTimeout: ioTimeout) {
        case .success(let fd): descriptor = fd
        case .failure(let failure): throw .connectionFailed(failure.message)
        }
    }

    deinit { close() }

    /// Reads at least one byte; throws on timeout or when the peer closed.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SMTPError) -> Int {
        switch BlockingTCP.read(descriptor, into: buffer) {
        case .bytes(let n): return n
        case .closed: throw .connectionClosed
        case .timedOut: throw .timeout
        case .failed(let reason): throw .connectionFailed(reason)
        }
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(SMTPError) {
        switch BlockingTCP.write(descriptor, bytes) {
        case .written: return
        case .timedOut: throw .timeout
        case .failed(let reason): throw .connectionFailed(reason)
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }
}
