import ClaveCrypto
import HTTPCore

/// HTTPS for ``HTTPServer``: HTTPCore's ``ConnectionSecurity`` made of ClaveCrypto's
/// ``TLSServerContext``. This small module is the only place the two meet, so HTTPCore
/// never links OpenSSL and ClaveCrypto never knows about event loops.
///
/// ```swift
/// let context = try TLSServerContext(files: TLSCertificateFiles(certificateChain: "cert.pem", privateKey: "key.pem"))
/// configuration.security = TLSConnectionSecurity(context: context)
/// ```
public struct TLSConnectionSecurity: ConnectionSecurity {
    public let context: TLSServerContext

    public init(context: TLSServerContext) { self.context = context }

    public func makeSession() -> (any SecureSession)? {
        context.makeSession().map(TLSSecureSession.init)
    }
}

/// A ``TLSServerSession`` seen as HTTPCore's ``SecureSession``.
final class TLSSecureSession: SecureSession {
    let tls: TLSServerSession

    init(_ tls: TLSServerSession) { self.tls = tls }

    func receive(_ ciphertext: UnsafeRawBufferPointer) { tls.receive(ciphertext) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> SecureSessionRead {
        switch tls.read(into: buffer) {
        case .bytes(let count): .bytes(count)
        case .needInput: .needInput
        case .closed: .closed
        case .failed(let reason): .failed(reason)
        }
    }

    func write(_ plaintext: UnsafeRawBufferPointer) -> Int? { tls.write(plaintext) }
    var pendingOutput: UnsafeRawBufferPointer { tls.pendingOutput }
    func consumeOutput(_ count: Int) { tls.consumeOutput(count) }
    var hasBufferedInput: Bool { tls.hasBufferedInput }
    var isHandshakeComplete: Bool { tls.isHandshakeComplete }
    func close() { tls.close() }
}
