import Foundation

/// Every sub-command, in the order `clave --help` lists them. Each lives in its own file.
let commands: [any Command.Type] = [
    ServeCommand.self,
    CheckCommand.self,
    RoutesCommand.self,
    UsersCommand.self,
    SeedDemoCommand.self,
    DBCommand.self,
    OutboxCommand.self,
    MailCommand.self,
]

@MainActor
func mainUsage() -> String {
    var text = """
    clave: password recovery for the SOI, SECOP II and Cajacopi portals.

    Usage: clave COMMAND [OPTIONS]

    Commands:

    """
    for command in commands {
        text += "  " + command.name.padding(toLength: 12, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\nRun 'clave COMMAND --help' for a command's options.\n"
    return text
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

@MainActor
func runMain() -> Int32 {
    let words = Array(CommandLine.arguments.dropFirst())
    guard let name = words.first, name != "--help", name != "-h", name != "help" else {
        print(mainUsage(), terminator: "")
        return words.isEmpty ? 2 : 0
    }
    guard let command = commands.first(where: { $0.name == name }) else {
        standardError("clave: unknown command '\(name)'. Run 'clave --help'.")
        return 2
    }
    do {
        var arguments = try Arguments(Array(words.dropFirst()))
        if arguments.flag("help") {
            print(command.usage)
            return 0
        }
        return try command.run(arguments)
    } catch let error as CLIError {
        standardError("clave \(name): \(error.message)")
        return error.status
    } catch {
        standardError("clave \(name): \(error)")
        return 1
    }
}

exit(runMain())
