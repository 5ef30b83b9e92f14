/// Where an event loop's connections come from: the shared listening socket, or in tests a
/// stand-in that hands over one end of a socket pair.
protocol ConnectionListener {
    /// The descriptor the poller watches for pending connections.
    var descriptor: Int32 { get }
    /// Accepts one pending connection as a non-blocking socket.
    func accept() -> ListeningSocket.Accepted
}

extension ListeningSocket: ConnectionListener {}
