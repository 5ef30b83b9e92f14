import Foundation
import Testing
import TestSupport

/// `clave serve --soi-temporary-minutes N` (`CLAVE_SOI_TEMPORARY_MINUTES`): how long SOI's
/// temporary password lives, 5 to 1440 minutes, default 60 (issue "Accounts a stranger can
/// neither take nor block").
@Suite struct ServeSOITemporaryMinutesTests {
    @Test func helpNamesTheOptionAndItsVariable() throws {
        let run = try ServeCommandTests.Process_(["serve", "--help"]).finish()
        #expect(run.status == 0)
        #expect(run.output.contains("--soi-temporary-minutes"))
        #expect(run.output.contains("CLAVE_SOI_TEMPORARY_MINUTES"))
        #expect(run.output.contains("default 60"))
    }

    @Test(arguments: [(["--soi-temporary-minutes", "4"], [String: String]()), (["--soi-temporary-minutes", "1441"], [:]),
                      (["--soi-temporary-minutes", "una hora"], [:]), ([], ["CLAVE_SOI_TEMPORARY_MINUTES": "0"])])
    func outOfRangeStopsWithStatus2(arguments: [String], environment: [String: String]) throws {
        let folder = try TemporaryDirectory(prefix: "serve-soi-minutes")
        let run = try ServeCommandTests.Process_(["serve", "--port", "0", "--db", folder.path("clave.sqlite")] + arguments,
                                                 environment: environment).finish()
        #expect(run.status == 2)
        #expect(run.errors.contains("--soi-temporary-minutes must be a whole number from 5 to 1440"), "stderr: \(run.errors)")
    }

    @Test func theServedEmailSaysTheConfiguredLifetime() throws {
        let folder = try TemporaryDirectory(prefix: "serve-soi-minutes")
        let server = try ServeProcess(["--port", "0", "--db", folder.path("clave.sqlite"), "--resources", PackagePaths.resources.path,
                                       "--access-log", "off", "--soi-temporary-minutes", "15"])
        defer { _ = server.stop() }
        let answer = try WebClient(port: server.port).fillAndSubmit("/soi/olvido-clave", [
            "aportante_tipo": "NIT", "aportante_numero": "900123456-8", "usuario_tipo": "CC",
            "usuario_numero": "1020304050", "correo": AppHarness.Demo.soiEmail])
        #expect(answer.status == 200)
        let query = WebClient.formEncode([("para", AppHarness.Demo.soiEmail)])
        var mailbox = ""
        for _ in 0..<200 where !mailbox.contains("Su clave temporal es") {
            mailbox = try WebClient(port: server.port).get("/_correo/api/mensajes?\(query)").text
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(mailbox.contains("vence en 15 minutos"), "mailbox: \(mailbox.prefix(400))")
    }
}
