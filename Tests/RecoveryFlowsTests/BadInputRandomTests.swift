import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// Random form bodies (seeded, so a failure replays) at the three login forms: every answer is
/// a page with the security headers and a 3xx/4xx status, never a 5xx.
@Suite struct BadInputRandomTests {
    static let pieces = ["usuario", "contrasena", "correo", "clave", "empresa_tipo", "empresa_numero", "usuario_tipo",
                         "usuario_numero", "csrf", "=", "&", "%", "%FF", "%00", "%3C", "+", "<script>", "NIT", "CC",
                         "ñ", "💥", "\u{202E}", "demo.secop", "afiliado@example.com", "'", "\"", "%25", "a=b=c", ";"]

    @Test(arguments: ["/secop/ingreso", "/soi/ingreso", "/cajacopi/ingreso"])
    func randomBodiesNeverBreakTheServer(path: String) throws {
        let harness = try AppHarness() {
            $0.rateLimits = RateLimitPolicy(routes: ["soi.login": .init(perAddress: .init(10_000, per: 60), perIdentifier: .init(10_000, per: 60)),
                                                     "secop.login": .init(perAddress: .init(10_000, per: 60), perIdentifier: .init(10_000, per: 60)),
                                                     "cajacopi.login": .init(perAddress: .init(10_000, per: 60), perIdentifier: .init(10_000, per: 60))])
        }
        var random = SeededRandom(seed: UInt64(path.utf8.count) &* 7919)
        let browser = harness.browser()
        let token = try browser.get(path).csrfToken()
        var statuses: [Int: Int] = [:]
        for _ in 0..<60 {
            var body = "csrf=\(token)&"
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                body += Self.pieces.randomElement(using: &random) ?? ""
            }
            let response = try browser.request("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                               body: Array(body.utf8))
            statuses[response.status, default: 0] += 1
            #expect((300..<500).contains(response.status), "\(body) → \(response.status)")
            #expect(response.header("Content-Security-Policy") != nil)
            #expect(!response.text.contains("<script>"), "\(body)")
        }
        #expect(statuses.keys.contains { $0 == 422 || $0 == 400 }, "bodies reached the form checks: \(statuses)")
        #expect((statuses[403] ?? 0) < 60, "not every body lost its token: \(statuses)")
    }
}
