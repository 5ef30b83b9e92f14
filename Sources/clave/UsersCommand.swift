import ClaveCrypto
import Foundation
import UserStore

/// `clave users add|list|show|lock|unlock`: account administration for portal staff.
struct UsersCommand: Command {
    static let name = "users"
    static let summary = "Add, list, show, lock and unlock portal users"
    static let usage = """
    Usage:
      clave users add --portal soi --aportante TYPE:NUMBER [--aportante-name NAME] --document TYPE:NUMBER
                      --email EMAIL [--password-stdin]
      clave users add --portal secop --username NAME --email EMAIL [--password-stdin]
      clave users add --portal cajacopi --email EMAIL --document TYPE:NUMBER --phone DIGITS
                      --birth-date YYYY-MM-DD [--password-stdin]
      clave users list [--portal soi|secop|cajacopi]
      clave users show ID
      clave users lock ID [--minutes N]
      clave users unlock ID

    Documents are TYPE:NUMBER with TYPE one of \(DocumentType.allCases.map(\.rawValue).joined(separator: ", "))
    (e.g. CC:1234567890, NIT:900123456-8). A new SOI aportante needs --aportante-name.
    With --password-stdin the password is read from standard input (one line); otherwise a
    random password is generated and printed once. 'lock' without --minutes locks until unlocked.

    Options:
      --db FILE   the SQLite file (env CLAVE_DB; default \(DBCommand.defaultPath))
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let action = arguments.popPositional()
        switch action {
        case "add": return try add(&arguments)
        case "list": return try list(&arguments)
        case "show": return try show(&arguments)
        case "lock": return try lock(&arguments, locking: true)
        case "unlock": return try lock(&arguments, locking: false)
        case nil: throw CLIError("missing action; use add, list, show, lock or unlock")
        case let other?: throw CLIError("unknown action '\(other)'; use add, list, show, lock or unlock")
        }
    }

    static func list(_ arguments: inout Arguments) throws -> Int32 {
        let portal = try arguments.option("portal").map(parsePortal)
        let path = arguments.option("db") ?? DBCommand.defaultPath
        try arguments.finish()
        let database = try DBCommand.open(path)
        let rows = try storeErrors {
            try database.read { tx in try tx.users.list(portal: portal).map { user in (user, try login(user, tx.users)) } }
        }
        let now = Date()
        print(pad("ID", 6) + pad("PORTAL", 10) + pad("LOGIN", 34) + pad("EMAIL", 34) + "STATE")
        for (user, login) in rows {
            print(pad(String(user.id), 6) + pad(user.portal.rawValue, 10) + pad(login, 34)
                  + pad(user.email, 34) + state(user, now: now))
        }
        if rows.isEmpty { print("(no users)") }
        return 0
    }

    static func show(_ arguments: inout Arguments) throws -> Int32 {
        let id = try userID(&arguments)
        let path = arguments.option("db") ?? DBCommand.defaultPath
        try arguments.finish()
        let database = try DBCommand.open(path)
        let found = try storeErrors {
            try database.read { tx in
                try tx.users.find(id: id).map { user in (user, try user.aportanteID.flatMap { try tx.users.findAportante(id: $0) }) }
            }
        }
        guard let (user, aportante) = found else { throw CLIError("no user with id \(id)", status: 1) }
        let hash = (try? PasswordHash(parsing: user.passwordHash)).map {
            "scrypt ln=\($0.parameters.logN),r=\($0.parameters.r),p=\($0.parameters.p)"
        } ?? "unreadable hash"
        var lines: [(String, String)] = [("id", String(user.id)), ("portal", user.portal.displayName)]
        if let username = user.username { lines.append(("username", username)) }
        if let aportante {
            lines.append(("aportante", "\(aportante.document.displayText) (\(aportante.name))"))
        }
        if let document = user.document {
            lines.append(("document", "\(document.displayText) (\(document.type.fullName))"))
        }
        lines.append(("email", user.email))
        if let phone = user.phone { lines.append(("phone", phone)) }
        if let birthDate = user.birthDate { lines.append(("birth date", birthDate.description)) }
        lines.append(("password", "set (\(hash))\(user.mustChangePassword ? ", must change at next login" : "")"))
        if let deadline = user.promotedPasswordDeadline {
            // A promoted temporary password dies at its deadline unless the change is made.
            lines.append(("password deadline", "works until \(timestamp(deadline)) unless changed"))
        }
        if user.temporaryPasswordHash != nil {
            lines.append(("temporary password", "pending until \(timestamp(user.temporaryPasswordExpiresAt))"))
        }
        lines.append(("failed logins", String(user.failedLogins)))
        lines.append(("state", state(user, now: Date())))
        lines.append(("created", timestamp(user.createdAt)))
        lines.append(("updated", timestamp(user.updatedAt)))
        for (key, value) in lines { print(pad(key + ":", 20) + value) }
        return 0
    }

    static func lock(_ arguments: inout Arguments, locking: Bool) throws -> Int32 {
        let id = try userID(&arguments)
        let minutes = locking ? try arguments.integer("minutes", default: 0, in: 1...10_000_000) : 0
        let path = arguments.option("db") ?? DBCommand.defaultPath
        try arguments.finish()
        let database = try DBCommand.open(path)
        let now = Date()
        do {
            if locking {
                // No --minutes: locked until staff unlock (the end of the calendar SQLite handles).
                let until = minutes == 0 ? Date(timeIntervalSince1970: 253_402_300_799) : now.addingTimeInterval(Double(minutes) * 60)
                try database.write { tx in try tx.users.lock(id: id, until: until, now: now) }
                _ = try? database.write { tx in
                    try tx.auditLog.record(portal: "system", userID: id, event: "admin.user-locked",
                                           detail: minutes == 0 ? "until unlocked" : "\(minutes) minutes", at: now)
                }
                print("User \(id) locked \(minutes == 0 ? "until unlocked" : "until \(timestamp(until))").")
            } else {
                try database.write { tx in try tx.users.unlock(id: id, now: now) }
                _ = try? database.write { tx in try tx.auditLog.record(portal: "system", userID: id, event: "admin.user-unlocked", at: now) }
                print("User \(id) unlocked.")
            }
        } catch StoreError.notFound {
            throw CLIError("no user with id \(id)", status: 1)
        }
        return 0
    }

    // MARK: Helpers shared by the actions

    static func parsePortal(_ text: String) throws -> Portal {
        guard let portal = Portal(rawValue: text.lowercased()) else {
            throw CLIError("unknown portal '\(text)'; use soi, secop or cajacopi")
        }
        return portal
    }

    static func userID(_ arguments: inout Arguments) throws -> Int64 {
        guard let text = arguments.popPositional() else { throw CLIError("missing user ID") }
        guard let id = Int64(text), id > 0 else { throw CLIError("user ID must be a positive whole number, not '\(text)'") }
        return id
    }

    /// Runs a store call, turning its typed errors into one-line CLI errors.
    static func storeErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw CLIError("\(error)", status: 1)
        }
    }

    static func login<Access>(_ user: User, _ users: UserRepository<Access>) throws -> String {
        switch user.portal {
        case .secop: return user.username ?? "-"
        case .cajacopi: return user.email
        case .soi:
            let aportante = try user.aportanteID.flatMap { try users.findAportante(id: $0) }
            return "\(aportante?.document.description ?? "?") / \(user.document?.description ?? "?")"
        }
    }

    static func state(_ user: User, now: Date) -> String {
        if user.isLocked(at: now) { return "locked until \(timestamp(user.lockedUntil))" }
        return user.mustChangePassword ? "active (must change password)" : "active"
    }

    static func timestamp(_ date: Date?) -> String {
        guard let date else { return "-" }
        if date.timeIntervalSince1970 >= 253_402_300_000 { return "unlocked by staff" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
