import Foundation
import TestSupport
@testable import UserStore

/// A migrated database in a fresh temporary folder (or a fresh PostgreSQL database, with
/// `CLAVE_TEST_STORE=postgres`: ``TestStore``), one per test.
final class StoreFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let database: Database
    var path: String { database.path }
    /// What `--db` takes to reach this store from a child process (``TestStore/newLocation(in:name:)``).
    let locationArgument: String

    init(configuration: DatabaseConfiguration = .default) throws {
        directory = try TemporaryDirectory(prefix: "clave-store")
        locationArgument = try TestStore.newLocation(in: directory)
        database = try Database(location: DatabaseLocation(locationArgument), configuration: configuration)
        try database.migrate()
    }

    /// A fixed instant, so expiry is controlled by the test.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
}

/// A value handed across threads in tests, guarded by happens-before through a semaphore.
final class Box: @unchecked Sendable {
    var value: Int?
}

/// Counts wins per key across threads.
final class WinCounter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var counts: [Int: Int] = [:]
    func add(_ key: Int) { lock.lock(); counts[key, default: 0] += 1; lock.unlock() }
}

/// Collects claimed outbox ids across threads.
final class ClaimLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [Int64] = []
    func add(_ more: [Int64]) { lock.lock(); ids += more; lock.unlock() }
}
