#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex: the one lock the server uses for its few shared structures (the worker
/// queue, each loop's completion list, metrics shards), held for a few instructions only.
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// The raw mutex, for `ConditionVariable`.
    var pointer: UnsafeMutablePointer<pthread_mutex_t> { mutex }
}

/// A pthread condition variable paired with a `Lock`: workers sleep on it when the queue is empty.
final class ConditionVariable: @unchecked Sendable {
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    /// Waits; the caller holds `lock`.
    func wait(_ lock: Lock) { pthread_cond_wait(condition, lock.pointer) }
    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }
}
