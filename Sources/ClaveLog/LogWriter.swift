import Foundation

/// Writes log lines to a file descriptor from a background thread.
///
/// The server logs from its event-loop threads (the access log), and a `write(2)` to a pipe
/// that nobody drains would stall every connection on that loop. So callers only append to a
/// bounded buffer; one thread writes it out in batches. When the buffer is full, lines are
/// dropped and counted, and the count is reported once there is room again: losing log lines
/// under a flood is better than stopping the server. `flush()` (also run at process exit)
/// writes whatever is pending, in order.
///
/// The locks are `NSLock`s (pthread mutexes), not `Synchronization.Mutex`: ThreadSanitizer
/// sees pthread locking but not the Mutex's futex, and reported its protected state as raced.
public final class LogWriter: @unchecked Sendable {
    // `state` is only touched under `pendingLock`; `writingLock` orders whole batches.
    /// The writer for standard error, shared by every `Logger` with the default sink.
    public static let standardError = LogWriter(descriptor: 2)

    /// Most bytes held before lines are dropped.
    public static let capacity = 4 * 1024 * 1024

    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
        var writerStarted = false
    }

    private let descriptor: Int32
    private let pendingLock = NSLock()
    private var state = Pending()
    /// Held while a batch is taken and written, so a flush never overtakes an earlier batch.
    private let writingLock = NSLock()
    private let wake = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Queues one line (without its newline).
    public func write(_ line: [UInt8]) {
        let (startWriter, signal) = pendingLock.withLock { () -> (Bool, Bool) in
            guard state.bytes.count + line.count + 1 <= LogWriter.capacity else {
                state.dropped += 1
                return (false, false)
            }
            let wasEmpty = state.bytes.isEmpty
            if state.dropped > 0 {
                state.bytes += Array("ts=- level=warning label=log msg=\"dropped \(state.dropped) lines: log buffer full\"\n".utf8)
                state.dropped = 0
            }
            state.bytes += line
            state.bytes.append(0x0A)
            let start = !state.writerStarted
            state.writerStarted = true
            return (start, wasEmpty)
        }
        if startWriter { startThread() }
        if signal { wake.signal() }
    }

    /// Writes every pending line now, from the calling thread.
    public func flush() {
        writingLock.withLock {
            let batch = pendingLock.withLock { () -> [UInt8] in
                defer { state.bytes = [] }
                return state.bytes
            }
            writeAll(batch)
        }
    }

    private func startThread() {
        if self === LogWriter.standardError {
            atexit { LogWriter.standardError.flush() }
        }
        let thread = Thread { [self] in
            while true {
                wake.wait()
                flush()
            }
        }
        thread.name = "clave-log"
        thread.start()
    }

    private func writeAll(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
