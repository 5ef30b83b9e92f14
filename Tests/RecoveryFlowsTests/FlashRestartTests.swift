import ClaveLog
import Foundation
import RecoveryFlows
import Testing
import TestSupport
import UserStore

/// Flash notices are signed with the stored `flash` server key, so a notice set just before a
/// restart (or by another process on the same file) still shows after it.
@Suite struct FlashRestartTests {
    @Test func aNoticeSetBeforeARestartIsReadAfterIt() throws {
        let harness = try AppHarness()
        let redirect = try harness.browser().get("/secop/inicio")
        try #require(redirect.status == 303)
        let cookie = try #require(Self.noticeCookie(redirect))
        let browser = harness.browser()
        browser.setCookie(FlashNotice.cookieName, cookie)
        #expect(try browser.get("/secop/ingreso").text.contains("Ingrese para continuar."), "the same process reads it")

        // A "restart": a new Database and AppContext over the same file.
        let restarted = try Self.app(over: try harness.database.reopened(), like: harness)
        let after = WebClient(transport: restarted.transport, host: "127.0.0.1")
        after.setCookie(FlashNotice.cookieName, cookie)
        #expect(try after.get("/secop/ingreso").text.contains("Ingrese para continuar."), "the restarted process reads it")

        // Another installation's key does not verify it.
        let elsewhere = try AppHarness(seedDemo: false)
        let stranger = elsewhere.browser()
        stranger.setCookie(FlashNotice.cookieName, cookie)
        #expect(try !stranger.get("/secop/ingreso").text.contains("Ingrese para continuar."))
    }

    /// The `clave_aviso` value a response sets, if any.
    static func noticeCookie(_ response: WebResponse) -> String? {
        for line in response.headerValues("Set-Cookie") where line.hasPrefix(FlashNotice.cookieName + "=") {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            return String(pair.dropFirst(FlashNotice.cookieName.count + 1))
        }
        return nil
    }

    /// A second app (context, routes) over `database`, configured like `harness`'s, in process.
    static func app(over database: Database, like harness: AppHarness) throws -> TestEndpoint {
        var quiet = Logger(label: "web")
        quiet.level = .warning
        let context = try AppContext(configuration: harness.context.configuration, database: database, clock: harness.clock, logger: quiet)
        return try TestEndpoint(try ClaveApp(context: context), over: .inProcess)
    }
}
