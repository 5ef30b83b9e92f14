/// What the loop does when a timer in ``LoopTimers`` is due: send held responses, and sweep
/// connection deadlines.
extension EventLoop {
    /// Fires whatever is due at `now`: held responses first (their connections are in
    /// `.processing`, which no deadline covers), then the sweep.
    func fireTimers(now: UInt64) {
        releaseDelayed(now: now)
        if timers.sweepIsDue(now: now) { sweep(now: now) }
    }

    /// Sends the held responses that are due; a connection closed meanwhile is skipped, and
    /// its token never matches a newer connection on the same descriptor.
    private func releaseDelayed(now: UInt64) {
        for entry in timers.takeDueResponses(now: now) {
            guard let connection = connections.connection(for: entry.token), connection.machine.state == .processing else { continue }
            send(entry.response, on: connection)
            if connection.machine.state != .closed { drive(connection) }
        }
    }

    /// Closes every connection whose stage has timed out (with a 408 when a request was under
    /// way), and resumes accepting after an `accept` failure.
    private func sweep(now: UInt64) {
        if acceptPaused && !stopping && !atConnectionCap {
            acceptPaused = false
            do {
                try poller.addListener(listener.descriptor, token: Self.listenerToken)
            } catch {
                acceptPaused = true
            }
        }
        connections.forEach { connection in
            guard let timeout = connection.machine.expired(at: now) else { return }
            // A TLS client still in its handshake at the deadline (silent, or trickling its hello).
            if let session = connection.session, !session.isHandshakeComplete { metrics.tlsHandshakeFailed() }
            if connection.machine.answersRequestTimeout {
                logger.info("request timeout", ["client": connection.remoteAddress, "timeout": "\(timeout)"])
                writeRequestTimeout(on: connection)
            }
            connections.close(connection)
        }
    }
}
