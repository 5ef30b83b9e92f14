import Foundation
import RecoveryFlows
import UserStore

/// `clave routes`: the route contract read from the binary itself (DESIGN.md, Routes): every
/// route the app serves, with its owner, its rate limit and its CSRF rule, so staff and tests
/// can check the contract without reading code.
///
/// The app is built exactly as `clave serve` builds it (over a throw-away database), so the
/// list is what is really served, and the start-up checks (duplicate routes, empty tables) run.
struct RoutesCommand: Command {
    static let name = "routes"
    static let summary = "List every route: method, path, portal, rate limit, CSRF"
    static let usage = """
    Usage: clave routes [--mode development|production] [--resources DIR]

    Prints one line per route: method, path, owner (soi, secop, cajacopi, clave for the shell,
    dev for the development mailbox), the rate limit it spends (or -) and its CSRF rule
    (checked, not needed for GETs, or exempt with the reason). Development mode adds the
    mailbox and the captcha answers that production never serves.

    Options:
      --mode MODE       development (default) or production (env CLAVE_MODE)
      --resources DIR   templates and static files (env CLAVE_RESOURCES; default ./Resources)
    """

    static func run(_ arguments: Arguments) throws -> Int32 {
        var arguments = arguments
        let modeText = arguments.option("mode") ?? ProcessInfo.processInfo.environment["CLAVE_MODE"] ?? "development"
        guard let mode = AppMode(rawValue: modeText) else {
            throw CLIError("--mode must be development or production, not '\(modeText)'")
        }
        let resources = arguments.option("resources") ?? ProcessInfo.processInfo.environment["CLAVE_RESOURCES"] ?? "./Resources"
        try arguments.finish()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clave-routes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let app: ClaveApp
        do {
            let database = try Database(path: folder.appendingPathComponent("routes.sqlite").path)
            try database.migrate()
            let configuration = AppConfiguration(mode: mode, publicURL: URL(fileURLWithPath: "/"),
                                                 resources: URL(fileURLWithPath: resources), reloadTemplates: false)
            app = try ClaveApp(context: try AppContext(configuration: configuration, database: database))
        } catch {
            throw CLIError("cannot build the app from \(resources): \(error)", status: 1)
        }
        let rows = [["METHOD", "PATH", "OWNER", "LIMIT", "CSRF"]]
            + app.routes.map { [$0.method, $0.path, $0.owner, $0.limit ?? "-", $0.csrf] }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let padded = (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            print((padded + [row[4]]).joined(separator: "  "))
        }
        return 0
    }
}
