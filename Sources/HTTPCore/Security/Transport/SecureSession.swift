/// One connection's encryption (TLS), driven by bytes only: the event loop reads ciphertext
/// from the socket and hands it in, takes plaintext out for the parser, hands response bytes
/// in, and writes the ciphertext that comes out.
///
/// HTTPCore defines the shape and never links a TLS library: `ClaveCrypto` implements it with
/// OpenSSL over in-memory queues, and `clave serve` joins the two. Because a session never touches
/// a socket, tests and the fuzzer drive it with any split of the bytes.
///
/// Loop-thread only: one session belongs to one connection.
public protocol SecureSession: AnyObject {
    /// Takes ciphertext read from the socket (all of it; the session buffers what it cannot
    /// decrypt yet).
    func receive(_ ciphertext: UnsafeRawBufferPointer)
    /// Decrypts into `buffer`, running the handshake first when it is not done. Any
    /// ciphertext the step produced (handshake messages, alerts, tickets) waits in
    /// ``pendingOutput``.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> SecureSessionRead
    /// Encrypts `plaintext`; returns the count taken (all of it) or nil when the session has
    /// failed.
    func write(_ plaintext: UnsafeRawBufferPointer) -> Int?
    /// Ciphertext waiting for the socket, oldest first; `consumeOutput(_:)` drops what was sent.
    var pendingOutput: UnsafeRawBufferPointer { get }
    func consumeOutput(_ count: Int)
    /// Whether received ciphertext or decrypted bytes wait inside the session, so a read may
    /// give plaintext without another byte from the socket.
    var hasBufferedInput: Bool { get }
    /// The handshake has finished.
    var isHandshakeComplete: Bool { get }
    /// Queues a close_notify alert (RFC 8446 §6.1) in ``pendingOutput``.
    func close()
}

/// What one ``SecureSession/read(into:)`` gave.
public enum SecureSessionRead: Equatable, Sendable {
    /// Plaintext bytes at the start of the buffer.
    case bytes(Int)
    /// More ciphertext is needed (a record or a handshake flight is incomplete).
    case needInput
    /// The peer sent close_notify.
    case closed
    /// A protocol error or a refused handshake; the reason is for the log. The alert for the
    /// peer, if any, waits in ``SecureSession/pendingOutput``.
    case failed(String)
}

/// Makes a ``SecureSession`` for each accepted connection; shared by every loop's thread.
///
/// A reloadable implementation (SIGHUP) swaps what new sessions are made from; sessions
/// already made keep theirs.
public protocol ConnectionSecurity: Sendable {
    /// A session for one new connection, or nil when none can be made (the connection is
    /// closed, and the reason logged by the implementation).
    func makeSession() -> (any SecureSession)?
}
