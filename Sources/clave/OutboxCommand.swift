import Dispatch
import Foundation
import Mailer
import UserStore

/// `clave outbox list|retry|deliver|run`: look at the outbox, put dead messages back, and run
/// the delivery worker outside the web server.
enum OutboxCommand: Command {
    static let name = "outbox"
    static let summary = "Inspect and deliver the email outbox (list, retry, deliver, run)"
    static let usage = """
    Usage: clave outbox list [--state pending|sending|sent|dead] [--limit N] [--json] [--db FILE]
           clave outbox retry ID [--db FILE]
           clave outbox deliver [MAIL OPTIONS]     deliver what is due now, then exit
           clave outbox run [MAIL OPTIONS] [--lease SECONDS] [--batch N]
                                                   deliver until SIGTERM/SIGINT, then drain

    Bodies are never shown: a sent message keeps only its metadata.

    Mail options:
    \(MailCommandOptions.usage)
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        guard let action = arguments.popPositional() else { throw CLIError("say list, retry, deliver or run. \(usage)") }
        switch action {
        case "list": return try list(&arguments)
        case "retry": return try retry(&arguments)
        case "deliver", "run": return try deliver(&arguments, keepRunning: action == "run")
        default: throw CLIError("unknown action '\(action)': list, retry, deliver or run")
        }
    }

    private static func list(_ arguments: inout Arguments) throws -> Int32 {
        let databasePath = arguments.option("db") ?? DBCommand.defaultPath
        var states: Set<OutboxState>?
        if let text = arguments.option("state") {
            guard let state = OutboxState(rawValue: text) else {
                throw CLIError("--state must be pending, sending, sent or dead, not '\(text)'")
            }
            states = [state]
        }
        let limit = try arguments.integer("limit", default: 50, in: 1...10_000)
        let json = arguments.flag("json")
        try arguments.finish()
        let database = try DBCommand.open(databasePath)
        let rows = try database.read { tx in try tx.outbox.list(states: states, limit: limit) }
        if json {
            let objects: [[String: Any]] = rows.map { row in
                var object: [String: Any] = [
                    "id": row.id, "state": row.state.rawValue, "attempts": row.attempts, "portal": row.portal,
                    "recipient": row.recipient, "subject": row.subject,
                    "created": ISO8601DateFormatter().string(from: row.createdAt),
                    "next_attempt": ISO8601DateFormatter().string(from: row.nextAttemptAt),
                ]
                object["sent"] = row.sentAt.map { ISO8601DateFormatter().string(from: $0) }
                object["last_error"] = row.lastError
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return 0
        }
        if rows.isEmpty {
            print("(outbox empty)")
            return 0
        }
        for row in rows {
            let when = ISO8601DateFormatter().string(from: row.sentAt ?? row.nextAttemptAt)
            var line = "\(row.id)\t\(row.state.rawValue)\tattempts=\(row.attempts)\t\(row.portal)\t\(row.recipient)\t\(when)\t\(row.subject)"
            if let error = row.lastError { line += "\terror=\(error)" }
            print(line)
        }
        return 0
    }

    private static func retry(_ arguments: inout Arguments) throws -> Int32 {
        let databasePath = arguments.option("db") ?? DBCommand.defaultPath
        guard let text = arguments.popPositional(), let id = Int64(text) else {
            throw CLIError("retry needs the message id (see 'clave outbox list --state dead')")
        }
        try arguments.finish()
        let database = try DBCommand.open(databasePath)
        guard try database.write({ tx in try tx.outbox.retry(id: id, now: Date()) }) else {
            throw CLIError("message \(id) is not dead (only dead messages can be retried)", status: 1)
        }
        print("message \(id) queued again")
        return 0
    }

    private static func deliver(_ arguments: inout Arguments, keepRunning: Bool) throws -> Int32 {
        let options = try MailCommandOptions(&arguments)
        let lease = try arguments.integer("lease", default: 15, in: 1...86_400)
        let batch = try arguments.integer("batch", default: 20, in: 1...1000)
        try arguments.finish()
        let database = try options.openDatabase()
        let worker = OutboxWorker(database: database, transport: try options.makeTransport(database: database),
                                  configuration: OutboxWorkerConfiguration(batchSize: batch, lease: TimeInterval(lease)))
        standardError("clave outbox: delivering through \(options.route.summary)")
        guard keepRunning else {
            var total = 0
            while true {
                let handled = worker.deliverBatch()
                if handled == 0 { break }
                total += handled
            }
            print("handled \(total) message(s)")
            return 0
        }
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        worker.start()
        worker.wake()
        stop.wait()
        standardError("clave outbox: stopping, delivering what is due (30 s at most)")
        let drained = worker.stop(drainWithin: 30)
        sources.forEach { $0.cancel() }
        return drained ? 0 : 1
    }
}
