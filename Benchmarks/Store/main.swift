// Store figures for `make bench`: issue-token-and-enqueue-email transactions per second and
// token look-ups per second, on a file database in a temporary folder (release build), or on
// the PostgreSQL database STORE_BENCH_DB names (a postgres:// URL; scripts/bench.d/store.sh
// starts a server for it). The same repositories and transactions on both engines.
// Usage: bench-store [TRANSACTIONS] [LOOKUPS]
import ClaveCrypto
import Foundation
import PostgresClient
import UserStore

let transactions = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let lookups = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100_000 : 100_000

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }

/// Failures counted across threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// User plus system CPU seconds this process has used: on a shared machine, throughput per CPU
/// second says more about the code than wall-clock throughput does.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Runs `body(0..<count)` on `count` threads of their own at once, and waits for them all.
/// Not `DispatchQueue.concurrentPerform`: it runs at most one iteration per core at a time,
/// so "8 threads" doing blocking I/O were two on this machine, and PostgreSQL sat a third
/// idle waiting for them (measured with `perf record -a`).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread { body(index); group.leave() }.start()
    }
    group.wait()
}

/// The load average over the last minute, printed with the figures.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

do {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clave-bench-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let location = try ProcessInfo.processInfo.environment["STORE_BENCH_DB"].map { try DatabaseLocation($0) }
        ?? .sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
    // STORE_BENCH_SYNC=full: SQLite syncing every commit, PostgreSQL's durability; only the
    // issue figures then (look-ups do not commit).
    let syncsEveryCommit = ProcessInfo.processInfo.environment["STORE_BENCH_SYNC"] == "full" && !location.isPostgres
    // STORE_BENCH_ISSUERS (8): threads issuing at once, and the PostgreSQL pool's connections.
    let issuers = max(1, Int(ProcessInfo.processInfo.environment["STORE_BENCH_ISSUERS"] ?? "") ?? 8)
    let database = try Database(location: location, configuration: DatabaseConfiguration(syncsEveryCommit: syncsEveryCommit),
                                postgres: PostgresStoreLimits(pool: PostgresPoolLimits(maximumConnections: issuers)))
    try database.migrate()
    let engine = location.isPostgres ? "postgres" : syncsEveryCommit ? "sqlite, synchronous=FULL" : "sqlite"
    let now = Date()
    var userIDs: [Int64] = []
    // Names of this run only: a second run on the same PostgreSQL database adds its own users.
    let run = UUID().uuidString.prefix(8).lowercased()
    try database.write { tx in
        for i in 0..<100 {
            guard let email = EmailAddress("bench\(i)@example.com") else { continue }
            userIDs.append(try tx.users.create(try NewUser(portal: .secop, username: "bench\(i)-\(run)", email: email),
                                               passwordHash: "$scrypt$bench", now: now).id)
        }
    }
    var hashes: [String] = []
    hashes.reserveCapacity(transactions)
    for _ in 0..<transactions { hashes.append(SHA256.hex(try SecureRandom.token())) }

    // 1. Issue a token (supersede older ones, insert, enqueue its email): one transaction each.
    print("store (\(engine)): machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
    let users = userIDs
    @Sendable func issue(_ i: Int, _ hash: String) throws {
        let link = "https://secop.example/secop/cambiar-contrasena?token=" + hash
        // As the flows issue: the user's row locked, READ COMMITTED on PostgreSQL.
        try database.writeLockingRows { tx in try tx.resetTokens.issue(
            userID: users[i % users.count], purpose: .passwordReset, tokenHash: hash,
            expiresAt: now.addingTimeInterval(1800), now: now,
            email: NewOutboxMessage(portal: "secop", sender: "SECOP II <registro@secop.example>",
                                    recipient: "bench\(i % users.count)@example.com",
                                    subject: "Restablecer contraseña", textBody: "Abra: \(link)",
                                    htmlBody: "<p><a href=\"\(link)\">Restablecer</a></p>")) }
    }
    let half = transactions / 2
    let cpuBefore = cpuSeconds()
    let issueTime = try seconds {
        for (i, hash) in hashes.prefix(half).enumerated() { try issue(i, hash) }
    }
    print("store (\(engine)): issue-token+enqueue-email, 1 thread: \(half) transactions in \(String(format: "%.2f", issueTime)) s = \(format(Double(half) / issueTime)) tx/s (\(format(Double(half) / (cpuSeconds() - cpuBefore))) per CPU second of this process)")
    // A server's request threads issue at once: `issuers` at a time, each on a pool connection
    // of its own (8 by default, as a node's pool has).
    let rest = Array(hashes.dropFirst(half))
    let failures = Counter()
    let parallelCPUBefore = cpuSeconds()
    let parallelIssueTime = seconds {
        onThreads(issuers) { t in
            for i in stride(from: t, to: rest.count, by: issuers) {
                do { try issue(i, rest[i]) } catch { failures.add() }
            }
        }
    }
    print("store (\(engine)): issue-token+enqueue-email, \(issuers) threads: \(rest.count) transactions in \(String(format: "%.2f", parallelIssueTime)) s = \(format(Double(rest.count) / parallelIssueTime)) tx/s (\(format(Double(rest.count) / (cpuSeconds() - parallelCPUBefore))) per CPU second of this process), \(failures.value) failed")

    // LOOKUPS 0: the issue figures only (as with STORE_BENCH_SYNC=full).
    if syncsEveryCommit || lookups == 0 { exit(0) }

    // 2. Token look-ups (what a GET on the link does), one thread, then one per core.
    let lookupTime = try seconds {
        for i in 0..<lookups { _ = try database.read { tx in try tx.resetTokens.lookup(tokenHash: hashes[i % hashes.count], portal: .secop, purpose: .passwordReset, now: now) } }
    }
    print("store (\(engine)): token look-ups, 1 thread: \(lookups) in \(String(format: "%.2f", lookupTime)) s = \(format(Double(lookups) / lookupTime)) look-ups/s")

    let threads = max(2, ProcessInfo.processInfo.activeProcessorCount)
    let sharedHashes = hashes
    let parallelTime = seconds {
        onThreads(threads) { t in
            for i in stride(from: t, to: lookups, by: threads) {
                _ = try? database.read { tx in try tx.resetTokens.lookup(tokenHash: sharedHashes[i % sharedHashes.count], portal: .secop, purpose: .passwordReset, now: now) }
            }
        }
    }
    print("store (\(engine)): token look-ups, \(threads) threads: \(lookups) in \(String(format: "%.2f", parallelTime)) s = \(format(Double(lookups) / parallelTime)) look-ups/s")

    // 3. Redeem each token once (single-use UPDATE guard), for scale.
    let redeemCount = min(transactions, 10_000)
    let redeemTime = try seconds {
        for hash in hashes.prefix(redeemCount) { _ = try database.write { tx in try tx.resetTokens.redeem(tokenHash: hash, portal: .secop, purpose: .passwordReset, now: now) } }
    }
    print("store (\(engine)): token redemptions: \(redeemCount) in \(String(format: "%.2f", redeemTime)) s = \(format(Double(redeemCount) / redeemTime)) tx/s")

    // 4. Account checks at the default scrypt cost: a known user and an unknown one should cost
    //    the same (PasswordVerifier hashes against a dummy), so the two figures should match.
    let verifier = try PasswordVerifier()
    guard let knownEmail = EmailAddress("known@example.com") else { throw StoreError.notFound("email") }
    let known = try database.write { tx in try tx.users.create(try NewUser(portal: .cajacopi, document: try Document(parsing: "CC:123456789"),
                                                                           email: knownEmail,
                                                                           phone: "3001234567", birthDate: CalendarDate("1990-01-01")),
                                                               passwordHash: try verifier.hasher.hash("Clave-Conocida-1"), now: now) }
    // Interleaved, so load from other processes affects both figures alike.
    let checks = 10
    var knownTime = 0.0, unknownTime = 0.0
    for _ in 0..<checks {
        knownTime += seconds { _ = verifier.check("Clave-Equivocada-2", for: known, now: now) }
        unknownTime += seconds { _ = verifier.check("Clave-Equivocada-2", for: nil, now: now) }
    }
    for (label, time) in [("known user, wrong password", knownTime), ("unknown user", unknownTime)] {
        print("store (\(engine)): password check (\(label)), scrypt ln=14,r=8,p=5: \(String(format: "%.1f", time / Double(checks) * 1000)) ms each")
    }
} catch {
    FileHandle.standardError.write(Data("bench-store: \(error)\n".utf8))
    exit(1)
}
