import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A joinable POSIX thread running one closure: the event loops and the workers.
///
/// Not Foundation's `Thread`, because the server must be able to join its threads on
/// shutdown (so `wait()` returns only when every loop has finished writing).
final class ThreadHandle: @unchecked Sendable {
    private var thread = pthread_t()
    private let started: Bool

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; `nil` when the system refuses a thread.
    init?(name: String, stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        defer { pthread_attr_destroy(&attributes) }
        let status = pthread_create(&thread, &attributes, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        started = true
        _ = pthread_setname_np(thread, String(name.prefix(15)))
    }

    /// Waits for the thread's closure to return.
    func join() {
        guard started else { return }
        pthread_join(thread, nil)
    }
}
