#if canImport(Glibc)
import Glibc
#endif

/// TLS on the loop: a connection with a ``SecureSession`` reads and writes through it, and
/// the ciphertext it produces goes to the socket here. A plain connection never comes here.
///
/// The handshake needs little state of its own: the session runs it inside its first reads and
/// the connection waits in `awaitingHead` meanwhile, under the handshake timer
/// (``HTTPTimeouts/handshake``) instead of the header-read one, which starts once the
/// handshake is done. So a client that opens a TLS connection and sends nothing (or half a
/// hello) is closed as a slowloris is, by a deadline of its own.
extension EventLoop {
    /// The most plaintext one write encrypts before its ciphertext must leave: the ciphertext a
    /// connection holds is bounded by it, so a client that stops reading cannot make the
    /// session buffer a whole response.
    static let secureWriteChunk = 64 * 1024

    /// Reads plaintext into the loop's read buffer. `drained` says whether the socket and the
    /// session are both empty, so the next input will raise a new epoll edge.
    func secureRead(_ connection: Connection, _ session: any SecureSession) -> (result: IOResult, drained: Bool) {
        var socketDrained = false
        // Between requests the session holds nothing: read the socket first instead of asking
        // the session for a record it cannot have (one SSL_read less per request).
        var sessionEmpty = session.isHandshakeComplete && !session.hasBufferedInput
        while true {
            let step: SecureSessionRead = sessionEmpty ? .needInput : session.read(into: readBuffer)
            sessionEmpty = false
            if connection.machine.awaitsHandshake, session.isHandshakeComplete {
                connection.machine.handshakeFinished(now: clock.uptime())
            }
            switch step {
            case .bytes(let count):
                guard flushCiphertext(connection, session) != .failed else { return (.failed(EPIPE), true) }
                return (.bytes(count), socketDrained && !session.hasBufferedInput)
            case .closed:
                _ = flushCiphertext(connection, session)
                return (.endOfFile, true)
            case .failed(let reason):
                if !session.isHandshakeComplete {
                    metrics.tlsHandshakeFailed()
                    logger.info("TLS handshake failed", ["client": connection.remoteAddress, "reason": reason])
                } else {
                    logger.info("TLS error", ["client": connection.remoteAddress, "reason": reason])
                }
                _ = flushCiphertext(connection, session)  // the alert, best effort
                return (.failed(EPROTO), true)
            case .needInput:
                if flushCiphertext(connection, session) == .failed { return (.failed(EPIPE), true) }
                if socketDrained && !connection.inputClosed { return (.wouldBlock, true) }
                switch ConnectionSocket.read(connection.descriptor, into: cipherBuffer) {
                case .bytes(let count):
                    socketDrained = count < cipherBuffer.count
                    session.receive(UnsafeRawBufferPointer(rebasing: cipherBuffer[0..<count]))
                case .wouldBlock:
                    return (.wouldBlock, true)
                case .endOfFile:
                    if !session.isHandshakeComplete { metrics.tlsHandshakeFailed() }
                    return (.endOfFile, true)
                case .failed(let code):
                    return (.failed(code), true)
                }
            }
        }
    }

    /// Encrypts part of a response (head and body, as `ConnectionSocket.write` takes them) and
    /// sends what the socket takes. Ciphertext left from the previous call goes first; while
    /// it cannot leave, no new plaintext is taken (`.wouldBlock`).
    func secureWrite(_ connection: Connection, _ session: any SecureSession,
                     head: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer) -> IOResult {
        switch flushCiphertext(connection, session) {
        case .failed: return .failed(EPIPE)
        case .blocked: return .wouldBlock
        case .done: break
        }
        let taken: Int?
        if !head.isEmpty, head.count + body.count <= cipherBuffer.count {
            // Head and body in one record, as the plain path sends them in one segment.
            if let base = head.baseAddress { cipherBuffer.baseAddress!.copyMemory(from: base, byteCount: head.count) }
            if let base = body.baseAddress, !body.isEmpty {
                (cipherBuffer.baseAddress! + head.count).copyMemory(from: base, byteCount: body.count)
            }
            taken = session.write(UnsafeRawBufferPointer(rebasing: cipherBuffer[0..<(head.count + body.count)]))
        } else {
            let part = head.isEmpty ? body : head
            taken = session.write(UnsafeRawBufferPointer(rebasing: part[0..<min(part.count, Self.secureWriteChunk)]))
        }
        guard let taken else { return .failed(EPROTO) }
        if flushCiphertext(connection, session) == .failed { return .failed(EPIPE) }
        return .bytes(taken)
    }

    /// Sends the session's pending ciphertext until it is all out or the socket is full.
    func flushCiphertext(_ connection: Connection, _ session: any SecureSession) -> PendingResponse.Progress {
        while true {
            let pending = session.pendingOutput
            guard pending.count > 0 else { return .done }
            guard connection.mayWrite else { return .blocked }
            switch ConnectionSocket.write(connection.descriptor, head: UnsafeRawBufferPointer(start: nil, count: 0), body: pending) {
            case .bytes(let count):
                session.consumeOutput(count)
            case .wouldBlock:
                connection.mayWrite = false
                return .blocked
            case .endOfFile, .failed:
                return .failed
            }
        }
    }

    /// A writable edge on a connection that is not writing a response: handshake messages or
    /// a close_notify may still be waiting.
    func flushSessionOutput(_ connection: Connection) {
        guard let session = connection.session else { return }
        if flushCiphertext(connection, session) == .failed { connections.close(connection) }
    }

    /// Sends close_notify before the write side shuts (best effort: a full socket loses it,
    /// and the client then sees a plain end of file, which HTTP/1.1 framing tolerates).
    func sendCloseNotify(_ connection: Connection) {
        guard let session = connection.session else { return }
        session.close()
        _ = flushCiphertext(connection, session)
    }
}
