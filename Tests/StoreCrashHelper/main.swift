// A child process for the crash test: opens the database, begins a write transaction, writes a
// few megabytes of marker rows (more than the page cache, so pages spill to the WAL file),
// changes a user, prints "ready", and sleeps inside the transaction until the test SIGKILLs it.
// Usage: store-crash-helper DB_PATH_OR_URL MARKER
import Foundation
// RawSQL: the one statement below that no repository offers (every user's email at once).
@_spi(RawSQL) import UserStore

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: store-crash-helper DB_PATH MARKER\n".utf8))
    exit(2)
}
do {
    let database = try Database(location: DatabaseLocation(arguments[1]))
    try database.migrate()
    try database.write { tx in
        for i in 0..<4_000 {
            try tx.auditLog.record(portal: "system", userID: nil, event: arguments[2],
                                   detail: String(repeating: "x", count: 1_000) + String(i), at: Date())
        }
        try tx.connection.execute("UPDATE users SET email = 'changed@example.com'")
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        while true { sleep(60) }
    }
} catch {
    FileHandle.standardError.write(Data("store-crash-helper: \(error)\n".utf8))
    exit(1)
}
