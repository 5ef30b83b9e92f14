import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM and SIGINT into a callback, for graceful shutdown of `clave serve`, and
/// SIGHUP, for reloading the TLS certificate.
///
/// The signals are blocked for the process and read from a `signalfd` on a small thread of
/// its own, so the handler runs as ordinary code (it may take locks and log) instead of inside
/// an async-signal context. SIGPIPE is ignored: a write to a closed socket must be an error
/// code, never a crash.
public final class SignalWatcher: @unchecked Sendable {
    private let descriptor: Int32
    private let thread: ThreadHandle?

    /// Starts watching; `handler` receives the signal number (`SIGTERM` = 15, `SIGINT` = 2) each
    /// time one arrives (and `SIGHUP` = 1, which must not shut down). Call it before other threads start so they inherit the blocked mask.
    /// A signal that came before (while blocked by ``blockTerminationSignals()``) is read at
    /// once: it stays pending until the `signalfd` exists.
    public init(_ handler: @escaping @Sendable (Int32) -> Void) throws {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        try Self.blockTerminationSignals()
        var set = Self.terminationSignals
        let fd = signalfd(-1, &set, Int32(SFD_CLOEXEC))
        guard fd >= 0 else { throw SocketError("signalfd") }
        descriptor = fd
        thread = ThreadHandle(name: "clave-signals") {
            var info = signalfd_siginfo()
            while true {
                let n = Glibc.read(fd, &info, MemoryLayout<signalfd_siginfo>.size)
                if n == MemoryLayout<signalfd_siginfo>.size {
                    handler(Int32(info.ssi_signo))
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Blocks SIGTERM, SIGINT and SIGHUP on the calling thread, and so on every thread it starts
    /// afterwards (they inherit the mask). `clave serve` calls it first of all: a thread started
    /// before it (the log writer's, on a first start that migrates and logs) would keep the
    /// default action, and a SIGTERM delivered there would kill the process with requests in
    /// flight. Blocked, a signal waits for the ``SignalWatcher``.
    public static func blockTerminationSignals() throws {
        var set = terminationSignals
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { throw SocketError("pthread_sigmask") }
    }

    private static var terminationSignals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        return set
    }

    /// Ignores SIGPIPE for the process, so a peer that closes mid-write gives `EPIPE`.
    public static func ignoreBrokenPipe() {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }
}
