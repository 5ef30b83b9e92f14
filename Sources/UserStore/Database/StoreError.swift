import CSQLite

/// Errors from the store, shaped by what a caller does about them.
///
/// - `constraint`: the request conflicts with data already there (a duplicate user, a missing
///   aportante). Tell the user; retrying the same write fails again.
/// - `busy`: another process held the write lock longer than the busy timeout. Retry later or
///   answer 503 with Retry-After.
/// - `corrupt`, `notADatabase`, `full`, `readOnly`, `io`: the file or disk is the problem. Stop and
///   tell the operator; nothing the user does helps.
/// - `newerSchema`: the file was migrated by a newer Clave. Refuse to run rather than guess.
/// - `notFound`: the row a command named does not exist.
/// - `unavailable`: the database server cannot be reached, or the connection to it was lost
///   (PostgreSQL only): nothing was committed that the caller does not know of. Answer 503
///   with Retry-After; the pool reconnects by itself when the server is back.
/// - `conflict`: concurrent transactions on other nodes kept conflicting with this one
///   (PostgreSQL's serialization failure or deadlock) after every retry. Answer 503.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which kind of constraint a write broke (SQLite's extended result codes).
    public enum ConstraintKind: String, Sendable, Equatable {
        case unique, primaryKey, foreignKey, check, notNull, other
    }

    case constraint(ConstraintKind, message: String)
    case busy(message: String)
    case corrupt(message: String)
    case notADatabase(path: String)
    case full(message: String)
    case readOnly(message: String)
    case io(message: String)
    case cannotOpen(path: String, message: String)
    case newerSchema(found: Int, supported: Int)
    case notFound(String)
    /// A column held a value the code cannot read back (wrong type, unknown enum case).
    case invalidValue(column: String, reason: String)
    /// Any other SQLite failure, with its extended result code.
    case sqlite(code: Int32, message: String)
    /// The database server is away or the connection broke (PostgreSQL).
    case unavailable(message: String)
    /// Serialization failures or deadlocks outlasted the retries (PostgreSQL).
    case conflict(message: String)
    /// Any other PostgreSQL failure, with its SQLSTATE when the server sent one.
    case postgres(sqlState: String?, message: String)

    /// Whether this is a uniqueness violation: the caller is adding something that exists.
    public var isDuplicate: Bool {
        if case .constraint(let kind, _) = self { return kind == .unique || kind == .primaryKey }
        return false
    }

    /// Whether a later attempt may succeed without anything changing on the caller's side:
    /// the database was busy, away or in conflict. The web layer answers these with 503.
    public var isTemporary: Bool {
        switch self {
        case .busy, .unavailable, .conflict: true
        default: false
        }
    }

    /// A one-line message for logs and the command line.
    public var description: String {
        switch self {
        case .constraint(let kind, let message): "constraint (\(kind.rawValue)) failed: \(message)"
        case .busy(let message): "database is busy: \(message)"
        case .corrupt(let message): "database file is corrupt: \(message)"
        case .notADatabase(let path): "\(path) is not a SQLite database"
        case .full(let message): "disk or database full: \(message)"
        case .readOnly(let message): "database is read-only: \(message)"
        case .io(let message): "I/O error: \(message)"
        case .cannotOpen(let path, let message): "cannot open \(path): \(message)"
        case .newerSchema(let found, let supported):
            "the database has schema version \(found), newer than the \(supported) this Clave knows; use a newer Clave"
        case .notFound(let what): "not found: \(what)"
        case .invalidValue(let column, let reason): "invalid value in column \(column): \(reason)"
        case .sqlite(let code, let message): "SQLite error \(code): \(message)"
        case .unavailable(let message): "database unavailable: \(message)"
        case .conflict(let message): "database conflict, retries exhausted: \(message)"
        case .postgres(let state, let message): "PostgreSQL error\(state.map { " \($0)" } ?? ""): \(message)"
        }
    }

    /// Maps a SQLite result code (extended codes preferred) and message to a case.
    static func from(code: Int32, message: String, path: String = "") -> StoreError {
        switch code & 0xFF {
        case SQLITE_CONSTRAINT:
            let kind: ConstraintKind = switch code {
            case 2067: .unique       // SQLITE_CONSTRAINT_UNIQUE
            case 1555: .primaryKey   // SQLITE_CONSTRAINT_PRIMARYKEY
            case 787: .foreignKey    // SQLITE_CONSTRAINT_FOREIGNKEY
            case 275: .check         // SQLITE_CONSTRAINT_CHECK
            case 1299: .notNull      // SQLITE_CONSTRAINT_NOTNULL
            default: .other
            }
            return .constraint(kind, message: message)
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy(message: message)
        case SQLITE_CORRUPT: return .corrupt(message: message)
        case SQLITE_NOTADB: return .notADatabase(path: path)
        case SQLITE_FULL: return .full(message: message)
        case SQLITE_READONLY: return .readOnly(message: message)
        case SQLITE_IOERR: return .io(message: message)
        case SQLITE_CANTOPEN: return .cannotOpen(path: path, message: message)
        default: return .sqlite(code: code, message: message)
        }
    }
}
