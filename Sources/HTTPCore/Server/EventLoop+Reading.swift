/// Reading, parsing and dispatching: what the loop does with a connection's input.
extension EventLoop {
    /// Parses buffered bytes and reads more while the connection wants a request.
    func drive(_ connection: Connection) {
        while true {
            switch connection.machine.state {
            case .processing, .writing, .closed:
                return
            case .lingering:
                discardInput(connection)
                return
            case .awaitingHead, .readingHead, .readingBody:
                break
            }
            switch connection.parser.next() {
            case .request(let request):
                dispatch(request, on: connection)
            case .head(_, let expectsContinue):
                connection.machine.parserAdvanced(to: connection.parser.phase, now: clock.uptime())
                if expectsContinue { sendInterim(on: connection) }
            case .error(let error):
                reject(error, on: connection)
                return
            case .needMore:
                connection.machine.parserAdvanced(to: connection.parser.phase, now: clock.uptime())
                guard connection.mayRead else { return }
                switch readInput(connection) {
                case (.bytes(let count), let drained):
                    // A short read drained the socket: the next arrival raises a new edge. Not
                    // after a hang-up, whose end-of-file must still be read to close.
                    if drained && !connection.inputClosed { connection.mayRead = false }
                    connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                case (.wouldBlock, _):
                    connection.mayRead = false
                    return
                case (.endOfFile, _), (.failed, _):
                    connections.close(connection)
                    return
                }
            }
        }
    }

    /// Reads request bytes into `readBuffer`: from the socket, or decrypted by the session.
    /// `drained`: no further byte is readable before the next epoll edge.
    private func readInput(_ connection: Connection) -> (result: IOResult, drained: Bool) {
        if let session = connection.session { return secureRead(connection, session) }
        let result = ConnectionSocket.read(connection.descriptor, into: readBuffer)
        if case .bytes(let count) = result { return (result, count < readBuffer.count) }
        return (result, true)
    }

    /// Answers a request the parser refused with its status page, then closes: after a
    /// framing error the next request's start cannot be found (RFC 9112 §11).
    private func reject(_ error: HTTPParseError, on connection: Connection) {
        logger.info("request rejected", ["client": connection.remoteAddress, "status": String(error.status.code), "reason": "\(error)"])
        connection.currentMethod = .get
        connection.currentPath = ""
        connection.currentRequestID = nextRequestID()
        connection.currentClient = connection.remoteAddress
        connection.currentStart = clock.uptime()
        connection.currentIsHead = false
        connection.currentVersion = .http1_1
        let response = ErrorPage.response(error.status, requestID: connection.currentRequestID)
        connection.machine.requestDispatched(keepAlive: false)
        send(response, on: connection)
    }

    private func dispatch(_ request: HTTPRequest, on connection: Connection) {
        var request = request
        request.remoteAddress = connection.remoteAddress
        request.requestID = nextRequestID()
        connection.currentMethod = request.method
        connection.currentPath = request.path
        connection.currentRequestID = request.requestID
        // A trusted proxy's field that does not parse is the application's 400 to give; the
        // log line then names the proxy, the only address known.
        connection.currentClient = (try? request.clientAddress(trustedProxies: configuration.trustedProxies)) ?? connection.remoteAddress
        connection.currentStart = clock.uptime()
        connection.currentIsHead = request.method == .head
        connection.currentVersion = request.version
        connection.machine.requestDispatched(keepAlive: request.head.keepAlive)

        if invoker.responder.respondsInline(to: request.head) {
            _ = deliver(invoker.response(for: request), on: connection)
        } else if let submit, submit(WorkerJob(request: request, token: connection.token, loop: self)) {
            return
        } else {
            metrics.requestShed()
            let response = ErrorPage.response(
                .serviceUnavailable, requestID: request.requestID,
                headers: ["Retry-After": String(configuration.retryAfterSeconds)])
            send(response, on: connection)
        }
    }

    private func nextRequestID() -> String {
        requestCounter &+= 1
        return requestIDPrefix + String(requestCounter, radix: 36)
    }

    /// Drains unread input of a closing connection until end-of-file.
    func discardInput(_ connection: Connection) {
        while connection.mayRead {
            switch ConnectionSocket.read(connection.descriptor, into: readBuffer) {
            case .bytes:
                continue
            case .wouldBlock:
                connection.mayRead = false
            case .endOfFile, .failed:
                connections.close(connection)
                return
            }
        }
    }
}
