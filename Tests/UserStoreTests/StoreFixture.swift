import Foundation
import TestSupport
@testable import UserStore

/// A migrated database in a fresh temporary folder, one per test.
final class StoreFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let database: Database
    var path: String { database.path }

    init(configuration: DatabaseConfiguration = .default) throws {
        directory = try TemporaryDirectory(prefix: "clave-store")
        database = try Database(path: directory.path("clave.sqlite"), configuration: configuration)
        try database.migrate()
    }

    /// A fixed instant, so expiry is controlled by the test.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
}
