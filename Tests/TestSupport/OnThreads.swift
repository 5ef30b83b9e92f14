import Foundation

/// Runs `body(0)` … `body(count - 1)` each on a thread of its own, released together, and
/// returns when every one has returned: what "at once" means in a concurrency test.
///
/// Not `DispatchQueue.concurrentPerform`, which runs at most one iteration per core at a
/// time: on this 2-core machine its "16 at once" were two at once while the others queued,
/// so a race that needs a third party never ran. (The store benchmark's "8 threads" were
/// found that way: PostgreSQL sat a third idle under `perf record -a`.)
///
/// ```swift
/// onThreads(8) { index in _ = try? database.write { tx in try tx.rateLimits.hit(…) } }
/// ```
public func onThreads(_ count: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let shared = SharedBody(body)
        let start = DispatchGroup()
        let done = DispatchGroup()
        start.enter()
        for index in 0..<count {
            done.enter()
            Thread {
                start.wait()
                shared.run(index)
                done.leave()
            }.start()
        }
        start.leave()
        done.wait()
        // A thread may outlive its last line for a moment: it holds the box, not the closure.
        shared.release()
    }
}

/// The closure the threads share, dropped once they have all run it, so that it never
/// outlives `onThreads` (which `withoutActuallyEscaping` checks).
private final class SharedBody: @unchecked Sendable {
    private var body: ((Int) -> Void)?
    init(_ body: @escaping (Int) -> Void) { self.body = body }
    /// Safe without a lock: `body` is written only before the threads start and after every
    /// one of them has left `done`.
    func run(_ index: Int) { body?(index) }
    func release() { body = nil }
}
