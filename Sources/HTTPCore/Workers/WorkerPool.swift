/// A fixed set of threads taking jobs from a bounded queue.
///
/// Handlers block (SQLite, password hashing), so they run here, never on an event loop. The
/// queue is bounded on purpose: when it is full `submit` refuses at once and the server answers
/// 503 with `Retry-After`, instead of letting a backlog grow without end while every queued
/// client times out anyway.
final class WorkerPool<Job: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private let wakeWorkers = ConditionVariable()
    private var ring: [Job?]
    private var head = 0
    private var count = 0
    private var stopping = false
    private var threads: [ThreadHandle] = []
    private let body: @Sendable (Job) -> Void

    /// The most jobs that may wait (not counting the ones running).
    let capacity: Int
    let workerCount: Int

    /// Starts `workerCount` threads that run `body` for each job.
    init(workerCount: Int, queueCapacity: Int, name: String = "clave-worker", body: @escaping @Sendable (Job) -> Void) throws {
        capacity = max(1, queueCapacity)
        self.workerCount = max(1, workerCount)
        ring = Array(repeating: nil, count: capacity)
        self.body = body
        for index in 0..<self.workerCount {
            guard let thread = ThreadHandle(name: "\(name)-\(index)", { [unowned self] in self.work() }) else {
                shutdown()
                throw SocketError("pthread_create")
            }
            threads.append(thread)
        }
    }

    /// Queues `job`; false (and nothing queued) when the queue is full or the pool stopped.
    func submit(_ job: Job) -> Bool {
        lock.lock()
        guard !stopping, count < capacity else {
            lock.unlock()
            return false
        }
        ring[(head + count) % capacity] = job
        count += 1
        lock.unlock()
        wakeWorkers.signal()
        return true
    }

    /// Jobs waiting for a worker, for the `worker_queue_depth` metric.
    var queueDepth: Int { lock.withLock { count } }

    /// Lets the queued jobs finish, then stops and joins every thread.
    func shutdown() {
        lock.withLock { stopping = true }
        wakeWorkers.broadcast()
        let joining = lock.withLock { () -> [ThreadHandle] in
            let all = threads
            threads = []
            return all
        }
        for thread in joining { thread.join() }
    }

    private func work() {
        while true {
            lock.lock()
            while count == 0 && !stopping { wakeWorkers.wait(lock) }
            if count == 0 {
                lock.unlock()
                return
            }
            let job = ring[head]
            ring[head] = nil
            head = (head + 1) % capacity
            count -= 1
            lock.unlock()
            if let job { body(job) }
        }
    }
}
