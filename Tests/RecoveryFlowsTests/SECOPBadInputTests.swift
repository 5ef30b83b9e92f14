import Foundation
import RecoveryFlows
import Testing
import TestSupport

/// Random form bodies (seeded, so a failure replays) at SECOP II's three recovery forms, with a
/// valid CSRF field and a real, live link among the pieces: every answer is 2xx-4xx with the
/// security headers, never a 5xx, and nothing is echoed unescaped.
@Suite struct SECOPBadInputTests {
    static let pieces = ["usuario", "correo", "token", "contrasena_nueva", "contrasena_confirmacion", "csrf", "=", "&",
                         "%", "%FF", "%00", "%3C", "+", "<script>", "demo.secop", "ana@example.com", "'", "\"", "%25",
                         "a=b=c", ";", "ñ", "💥", "\u{202E}", "Girasol-Marino-2026", "TOKEN"]

    @Test(arguments: [SECOPRoutes.forgotPassword, SECOPRoutes.forgotUsername, SECOPRoutes.changePassword])
    func randomBodiesNeverBreakTheServer(path: String) throws {
        let open = RouteLimits(perAddress: .init(10_000, per: 60), perIdentifier: .init(10_000, per: 60))
        let harness = try AppHarness() {
            $0.rateLimits = RateLimitPolicy(routes: [SECOPPortal.RecoveryLimit.forgotPassword: open,
                                                     SECOPPortal.RecoveryLimit.forgotUsername: open,
                                                     SECOPPortal.RecoveryLimit.changePassword: open])
        }
        let browser = harness.browser()
        let csrf = try browser.get(SECOPRoutes.forgotPassword).csrfToken()
        _ = try browser.post(SECOPRoutes.forgotPassword, [("csrf", csrf), ("usuario", "demo.secop")])
        let mail = try harness.waitForMail(to: "compras@example.com")
        let link = try #require(mail.linkPath(startingWith: SECOPRoutes.changePassword))
        let marker = try #require(link.range(of: "token="))
        let token = String(link[marker.upperBound...].prefix { $0 != "&" })

        var random = SeededRandom(seed: UInt64(path.utf8.count) &* 104_729)
        var statuses: [Int: Int] = [:]
        for _ in 0..<60 {
            var body = "csrf=\(csrf)&"
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                body += (Self.pieces.randomElement(using: &random) ?? "").replacingOccurrences(of: "TOKEN", with: token)
            }
            let response = try browser.request("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                               body: Array(body.utf8))
            statuses[response.status, default: 0] += 1
            #expect((200..<500).contains(response.status), "\(body) → \(response.status)")
            #expect(response.header("Content-Security-Policy") != nil)
            #expect(!response.text.contains("<script>"), "\(body)")
        }
        #expect(statuses.keys.contains { [404, 422].contains($0) }, "bodies reached the recovery steps: \(statuses)")
    }
}
