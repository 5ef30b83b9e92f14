import Foundation
import Testing
@testable import HTTPCore

/// The bounded pool: every job runs, a full queue refuses, shutdown drains.
@Suite struct WorkerPoolTests {
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ value: Int) { lock.withLock { values.append(value) } }
        var sorted: [Int] { lock.withLock { values.sorted() } }
    }

    @Test func everySubmittedJobRunsBeforeShutdownReturns() throws {
        let tally = Tally()
        let pool = try WorkerPool<Int>(workerCount: 3, queueCapacity: 1000) { tally.add($0) }
        for value in 0..<500 { #expect(pool.submit(value)) }
        pool.shutdown()
        #expect(tally.sorted == Array(0..<500))
        #expect(!pool.submit(1), "a stopped pool takes no job")
    }

    @Test func aFullQueueRefusesInsteadOfGrowing() throws {
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let pool = try WorkerPool<Int>(workerCount: 1, queueCapacity: 2) { _ in
            started.signal()
            release.wait()
        }
        #expect(pool.submit(0))
        started.wait()                 // the worker holds job 0
        #expect(pool.submit(1))
        #expect(pool.submit(2))
        #expect(pool.queueDepth == 2)
        #expect(!pool.submit(3))
        for _ in 0..<3 { release.signal() }
        pool.shutdown()
        #expect(pool.queueDepth == 0)
    }
}
