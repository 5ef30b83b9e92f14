/// Writing: turning a response into bytes on the socket, holding it for its minimum latency
/// first when it asks, and the bookkeeping once its last byte is out.
extension EventLoop {
    /// Sends `response` now, or holds it until the request's minimum latency has passed.
    /// Returns whether it was sent.
    func deliver(_ response: HTTPResponse, on connection: Connection) -> Bool {
        if let latency = response.minimumLatency {
            let due = connection.currentStart &+ latency.nanoseconds
            if due > clock.uptime() {
                timers.hold(response, token: connection.token, until: due)
                return false
            }
        }
        send(response, on: connection)
        return true
    }

    /// Queues `response` and writes as much as the socket takes now.
    func send(_ response: HTTPResponse, on connection: Connection) {
        let keepAlive = connection.machine.keepAlive && !stopping
        let head = HTTPResponseWriter.head(
            for: response, keepAlive: keepAlive, date: dates.current(at: clock.now()),
            isHeadRequest: connection.currentIsHead, requestVersion: connection.currentVersion)
        let sendsBody = !connection.currentIsHead && response.status.allowsBody
        connection.output = PendingResponse(head: head, body: sendsBody ? response.body : [])
        connection.currentStatus = response.status.code
        connection.machine.responseQueued(keepAlive: keepAlive, now: clock.uptime())
        flush(connection)
    }

    /// `100 Continue` before an expected body; small enough that a full socket buffer here
    /// means a client not reading, which the write timeout will catch.
    func sendInterim(on connection: Connection) {
        if let session = connection.session {
            _ = Self.continueHead.withUnsafeBytes {
                secureWrite(connection, session, head: $0, body: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            return
        }
        _ = Self.continueHead.withUnsafeBytes {
            ConnectionSocket.write(connection.descriptor, head: $0, body: UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    private static let continueHead = HTTPResponseWriter.interim100Continue()

    /// Writes what the socket takes of the pending response, if it may be written now.
    func flush(_ connection: Connection) {
        guard connection.mayWrite || connection.output.remaining == 0 else { return }
        switch write(&connection.output, on: connection) {
        case .done:
            // Over TLS the last record may still wait in the session: done once it left.
            if let session = connection.session {
                switch flushCiphertext(connection, session) {
                case .done: break
                case .blocked: return
                case .failed:
                    connections.close(connection)
                    return
                }
            }
            responseWritten(connection)
        case .blocked:
            connection.mayWrite = false
        case .failed:
            connections.close(connection)
        }
    }

    /// The best-effort 408 for a connection whose request timed out; it is closed right after,
    /// so a full socket buffer just loses the page.
    func writeRequestTimeout(on connection: Connection) {
        let page = ErrorPage.response(.requestTimeout)
        let head = HTTPResponseWriter.head(for: page, keepAlive: false, date: dates.current(at: clock.now()), isHeadRequest: false)
        var output = PendingResponse(head: head, body: page.body)
        _ = write(&output, on: connection)
    }

    /// Writes `output` to the socket, or through the connection's TLS session.
    private func write(_ output: inout PendingResponse, on connection: Connection) -> PendingResponse.Progress {
        guard let session = connection.session else { return output.write(to: connection.descriptor) }
        return output.write { head, body in secureWrite(connection, session, head: head, body: body) }
    }

    private func responseWritten(_ connection: Connection) {
        let now = clock.uptime()
        let duration = now &- connection.currentStart
        metrics.recordResponse(status: connection.currentStatus, durationNanoseconds: duration)
        if configuration.accessLog {
            logger.info("request", [
                "method": connection.currentMethod.rawValue,
                "path": String(connection.currentPath),
                "status": String(connection.currentStatus),
                "bytes": String(connection.output.body.count),
                "duration_us": String(duration / 1000),
                "request_id": connection.currentRequestID,
                "client": connection.currentClient,
                "peer": connection.remoteAddress,
            ])
        }
        connection.output = PendingResponse()
        connection.currentPath = ""
        if connection.machine.responseWritten(now: now) == .close {
            sendCloseNotify(connection)
            ConnectionSocket.shutdownWrite(connection.descriptor)
            discardInput(connection)
        }
    }
}
