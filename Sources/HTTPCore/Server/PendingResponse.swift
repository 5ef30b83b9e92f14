/// The response a connection is writing: its head and body, and how much of both the kernel
/// has taken so far.
///
/// Writing is apart from the loop so that its one subtle rule lives in one place: a socket
/// may take part of a response, and the next write resumes mid-head or mid-body, with head and
/// body still leaving in one `sendmsg` while any head is left (which keeps a keep-alive round
/// trip in one segment).
struct PendingResponse {
    /// What one call to ``write(to:)`` achieved.
    enum Progress: Equatable {
        /// The whole response is written.
        case done
        /// The socket's buffer is full: wait for the poller's next writable event.
        case blocked
        /// The peer is gone (`EPIPE`, `ECONNRESET`): close the connection.
        case failed
    }

    /// The serialised status line and header fields.
    private(set) var head: [UInt8] = []
    /// The body bytes; empty for `HEAD` and for statuses without a body.
    private(set) var body: [UInt8] = []
    /// Bytes of head then body already written.
    private(set) var written = 0

    /// No response.
    init() {}

    /// A response to write from its first byte.
    init(head: [UInt8], body: [UInt8]) {
        self.head = head
        self.body = body
    }

    /// Bytes not yet written.
    var remaining: Int { head.count + body.count - written }

    /// Writes as much as the socket `fd` takes now.
    mutating func write(to fd: Int32) -> Progress {
        write { head, body in ConnectionSocket.write(fd, head: head, body: body) }
    }

    /// Writes as much as `send` takes now; `send` has the contract of
    /// ``ConnectionSocket/write(_:head:body:)`` (a TLS session's writer takes the same shape).
    mutating func write(using send: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> IOResult) -> Progress {
        while remaining > 0 {
            let headCount = head.count
            let offset = written
            let result: IOResult = head.withUnsafeBytes { head in
                body.withUnsafeBytes { body in
                    if offset < headCount {
                        return send(UnsafeRawBufferPointer(rebasing: head[offset...]), body)
                    }
                    return send(UnsafeRawBufferPointer(start: nil, count: 0),
                                UnsafeRawBufferPointer(rebasing: body[(offset - headCount)...]))
                }
            }
            switch result {
            case .bytes(let count):
                written += count
            case .wouldBlock:
                return .blocked
            case .endOfFile, .failed:
                return .failed
            }
        }
        return .done
    }
}
