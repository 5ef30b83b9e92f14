/// The connections one event loop owns, and the only place one is registered or closed.
///
/// Opening a connection means four things that must stay together: a token, a poller
/// registration, a slot in the descriptor-indexed table, and one more open connection in the
/// count and the metrics. Closing undoes all four exactly once, whoever asks first (the peer's
/// end-of-file, a failed write, a timeout, shutdown); a second close of the same connection is
/// a no-op, so the counts cannot drift.
///
/// Loop-thread only. The table is indexed by descriptor number (the kernel hands out the
/// lowest free number, so it stays dense) and a token carries a generation, so an event or a
/// worker's response for a closed connection never reaches a newer one on a reused descriptor.
final class ConnectionTable {
    private let poller: any Poller
    private let metrics: MetricsShard
    private var slots: [Connection?] = []
    private var generation: UInt64 = 0
    /// Connections open now.
    private(set) var count = 0

    init(poller: any Poller, metrics: MetricsShard) {
        self.poller = poller
        self.metrics = metrics
    }

    /// Registers an accepted socket with the poller and the table. On a poller failure the
    /// socket is closed and nothing is counted.
    func open(descriptor fd: Int32, remoteAddress: String, limits: HTTPLimits, timeouts: HTTPTimeouts,
              now: UInt64) throws -> Connection {
        generation &+= 1
        let token = (generation << 32) | UInt64(UInt32(bitPattern: fd))
        do {
            try poller.addConnection(fd, token: token)
        } catch {
            ConnectionSocket.close(fd)
            throw error
        }
        let connection = Connection(descriptor: fd, token: token, remoteAddress: remoteAddress,
                                    limits: limits, timeouts: timeouts, now: now)
        let index = Int(fd)
        if index >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 64))
        }
        slots[index] = connection
        count += 1
        metrics.connectionOpened()
        return connection
    }

    /// The open connection `token` names, or nil once it has closed (even if its descriptor
    /// number now belongs to another connection).
    func connection(for token: UInt64) -> Connection? {
        let index = Int(token & 0xFFFF_FFFF)
        guard index < slots.count, let connection = slots[index], connection.token == token else { return nil }
        return connection
    }

    /// Unregisters and closes `connection`; a connection already closed is left alone.
    func close(_ connection: Connection) {
        guard connection.machine.state != .closed else { return }
        connection.machine.closed()
        poller.remove(connection.descriptor)
        ConnectionSocket.close(connection.descriptor)
        slots[Int(connection.descriptor)] = nil
        count -= 1
        metrics.connectionClosed()
    }

    /// Calls `body` with every open connection. `body` may close the one it is given.
    func forEach(_ body: (Connection) -> Void) {
        // By index, not over a copy of `slots`: closing during the walk then copies nothing.
        var index = 0
        while index < slots.count {
            if let connection = slots[index] { body(connection) }
            index += 1
        }
    }

    /// Closes every open connection for which `shouldClose` is true.
    func close(where shouldClose: (Connection) -> Bool) {
        forEach { connection in
            if shouldClose(connection) { close(connection) }
        }
    }
}
