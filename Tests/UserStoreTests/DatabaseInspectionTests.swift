import Foundation
import Testing
import TestSupport
@testable import UserStore

/// `Database.inspect`, what `clave check` reports: the file's state, found without changing it.
@Suite struct DatabaseInspectionTests {
    @Test func anAbsentFileIsReportedAndNotCreated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("nuevo.sqlite")
        let inspection = try Database.inspect(path: path)
        #expect(inspection.state == .absent)
        #expect(inspection.supportedVersion == Database.supportedSchemaVersion)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test func anOlderFileNamesItsPendingMigrationsAndIsNotMigrated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("viejo.sqlite")
        try Database(path: path).migrate(Array(Schema.migrations.prefix(3)))
        let inspection = try Database.inspect(path: path)
        #expect(inspection.state == .present(version: 3, pending: Array(Schema.migrations.dropFirst(3).map(\.version))))
        #expect(try Database.inspect(path: path) == inspection)
        let current = directory.path("actual.sqlite")
        try Database(path: current).migrate()
        #expect(try Database.inspect(path: current).state == .present(version: Database.supportedSchemaVersion, pending: []))
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("texto.sqlite")
        try String(repeating: "no es una base de datos\n", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try Database.inspect(path: path) }
    }
}
