import Foundation
import Testing
import TestSupport

/// `clave routes`: the route contract read from the binary.
@Suite struct RoutesCommandTests {
    func clave(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run(PackagePaths.claveExecutable, arguments, environment: ["CLAVE_LOG_LEVEL": "warning"])
    }

    @Test func printsEveryRouteWithItsOwnerLimitAndCSRFRule() throws {
        let result = try clave(["routes", "--resources", PackagePaths.resources.path])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.first == ["METHOD", "PATH", "OWNER", "LIMIT", "CSRF"])
        func row(_ method: String, _ path: String) -> [Substring]? { lines.first { $0.count >= 5 && $0[0] == method && $0[1] == path } }
        #expect(row("POST", "/secop/olvide-contrasena")?[2...4] == ["secop", "secop.forgot-password", "checked"])
        #expect(row("POST", "/soi/cambio-clave")?[2...4] == ["soi", "soi.change-password", "checked"])
        #expect(row("GET", "/cajacopi/restablecer")?[2...3] == ["cajacopi", "cajacopi.captcha"])
        #expect(row("DELETE", "/_correo/api/mensajes")?[4] == "exempt:")
        #expect(row("GET", "/_correo") != nil, "development mode lists the mailbox")
    }

    @Test func productionListsNoDevelopmentRoute() throws {
        let result = try clave(["routes", "--mode", "production", "--resources", PackagePaths.resources.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!result.standardOutput.contains("/_correo"))
        #expect(!result.standardOutput.contains("/_dev/"))
        #expect(result.standardOutput.contains("/soi/olvido-clave"))
    }

    @Test func badOptionsAreOneLineAndExitTwo() throws {
        let result = try clave(["routes", "--mode", "staging"])
        #expect(result.status == 2)
        #expect(result.standardError == "clave routes: --mode must be development or production, not 'staging'\n")
    }
}
