import Foundation

/// One `clave` sub-command (`serve`, `users`, `seed-demo`, ...).
///
/// Commands return an exit status instead of calling `exit`, so that every path out of a
/// command runs its `defer`s (closing the database, flushing the outbox).
protocol Command {
    /// The word after `clave`.
    static var name: String { get }
    /// One line for `clave --help`.
    static var summary: String { get }
    /// The full text of `clave NAME --help`.
    static var usage: String { get }
    /// Runs with the arguments after the command's name.
    static func run(_ arguments: Arguments) throws -> Int32
}

/// An error a command reports as one line on standard error, with a non-zero exit status.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32 = 2) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
