// PostgreSQL client round trips: a prepared SELECT, and an INSERT transaction (BEGIN,
// statement timeout, INSERT, COMMIT) through the pool, against the server the URL names.
// Usage: bench-postgres URL [QUERIES] [TRANSACTIONS]
// (the URL's database gets a table bench_postgres, dropped at the end)
import Foundation
import PostgresClient

let arguments = CommandLine.arguments
guard arguments.count > 1 else {
    FileHandle.standardError.write(Data("usage: bench-postgres postgres://user:password@host/db [QUERIES] [TRANSACTIONS]\n".utf8))
    exit(2)
}
let queries = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
let transactions = arguments.count > 3 ? Int(arguments[3]) ?? 5_000 : 5_000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

do {
    let configuration = try PostgresConfiguration(url: arguments[1])
    let pool = try PostgresPool(configuration: configuration)
    _ = try pool.withConnection { connection in
        try connection.simpleQuery("DROP TABLE IF EXISTS bench_postgres; CREATE TABLE bench_postgres (id bigserial PRIMARY KEY, body text, at timestamptz)")
    }
    let select = try pool.withConnection { connection in
        try seconds {
            for n in 0..<queries { _ = try connection.queryOne("SELECT $1::bigint + 1", [.int64(Int64(n))]) }
        }
    }
    let insert = try seconds {
        for n in 0..<transactions {
            _ = try pool.transaction(.write) { connection in
                try connection.execute("INSERT INTO bench_postgres (body, at) VALUES ($1, $2)", [.text("message \(n)"), .timestamptz(Date())])
            }
        }
    }
    _ = try pool.withConnection { try $0.simpleQuery("DROP TABLE bench_postgres") }
    print("postgres \(configuration.sslMode.rawValue): prepared SELECT \(String(format: "%.0f", Double(queries) / select))/s "
        + "(\(String(format: "%.1f", select / Double(queries) * 1e6)) µs each); "
        + "INSERT transactions \(String(format: "%.0f", Double(transactions) / insert))/s")
} catch {
    FileHandle.standardError.write(Data("bench-postgres: \(error)\n".utf8))
    exit(1)
}
