import Foundation
import HTTPCore
import RecoveryFlows
import Testing
import TestSupport

/// Rate limits per client address and per identifier; X-Forwarded-For only from trusted proxies.
@Suite struct RateLimitTests {
    typealias Demo = AppHarness.Demo

    /// Logins count per address in the rate limits and per identifier in the login throttle
    /// (``LoginThrottlePolicy``, which replaced the per-identifier login limit: here two
    /// failures, then 10 minutes' wait).
    static func tight(_ configuration: inout AppConfiguration) {
        configuration.rateLimits = RateLimitPolicy(routes: [
            "secop.login": RouteLimits(perAddress: RateLimitRule(100, per: 600), perIdentifier: RateLimitRule(100, per: 600)),
            "cajacopi.login": RouteLimits(perAddress: RateLimitRule(3, per: 600), perIdentifier: RateLimitRule(100, per: 600)),
        ])
        configuration.login = LoginThrottlePolicy(freeFailures: 1, firstDelay: 600, maximumDelay: 600)
    }

    @Test func theIdentifierLimitAnswers429TheSameForKnownAndUnknownNames() throws {
        let harness = try AppHarness(configure: Self.tight)
        var limited: [WebResponse] = []
        for name in [Demo.secopUser, "no.existe"] {
            let browser = harness.browser()
            for _ in 0..<2 {
                #expect(try browser.fillAndSubmit("/secop/ingreso", ["usuario": name, "contrasena": "Mala-1234"]).status == 422)
            }
            let third = try browser.fillAndSubmit("/secop/ingreso", ["usuario": name, "contrasena": "Mala-1234"])
            #expect(third.status == 429)
            let retry = try #require(third.header("Retry-After").flatMap(Int.init))
            #expect(retry > 0 && retry <= 600)
            limited.append(third)
        }
        #expect(LoginThrottleTests.notice(limited[0]) == LoginThrottleTests.notice(limited[1]))
        #expect(limited[0].header("Retry-After") == limited[1].header("Retry-After"))
        #expect(LoginThrottleTests.notice(limited[0])?.contains("Demasiados intentos") == true)
        // Case and spaces do not make a new identifier.
        #expect(try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": " DEMO.secop ", "contrasena": "x"]).status == 429)
        // Once the window is over, the user may try again.
        harness.clock.advance(by: 601)
        #expect(try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": Demo.secopUser, "contrasena": Demo.secopPassword]).status == 303)
    }

    @Test func theAddressLimitCountsEveryIdentifier() throws {
        let harness = try AppHarness(configure: Self.tight)
        let browser = harness.browser()
        for index in 0..<3 {
            #expect(try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": "n\(index)@example.com", "contrasena": "x"]).status == 422)
        }
        #expect(try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": "otro@example.com", "contrasena": "x"]).status == 429)
    }

    @Test("every 429 is counted in /metrics under its route; limited routes show 0 from the start")
    func refusalsAreCountedByRoute() throws {
        let harness = try AppHarness(configure: Self.tight)
        let before = harness.metrics.render()
        #expect(before.contains("clave_rate_limit_refusals_total{route=\"POST /cajacopi/ingreso\"} 0\n"))
        let browser = harness.browser()
        for index in 0..<5 {
            _ = try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": "n\(index)@example.com", "contrasena": "x"])
        }
        // The login throttle's 429 (two failures on one identifier) is counted too.
        for _ in 0..<3 {
            _ = try harness.browser().fillAndSubmit("/secop/ingreso", ["usuario": "no.existe", "contrasena": "x"])
        }
        let text = harness.metrics.render()
        #expect(text.contains("clave_rate_limit_refusals_total{route=\"POST /cajacopi/ingreso\"} 2\n"))
        #expect(text.contains("clave_rate_limit_refusals_total{route=\"POST /secop/ingreso\"} 1\n"))
        #expect(!text.contains("route=\"/"), "labels are routes with their method, never raw paths")
    }

    @Test func forwardedForIsIgnoredFromAnUntrustedPeer() throws {
        let harness = try AppHarness(configure: Self.tight)
        for index in 0..<4 {
            let browser = harness.browser()
            browser.extraHeaders = [("X-Forwarded-For", "203.0.113.\(index)")]
            let expected = index < 3 ? 422 : 429
            #expect(try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": "n\(index)@example.com", "contrasena": "x"]).status == expected)
        }
    }

    @Test func forwardedForFromATrustedProxyNamesTheClient() throws {
        let harness = try AppHarness() {
            Self.tight(&$0)
            $0.trustedProxies = .thisMachine
        }
        for index in 0..<4 {
            let browser = harness.browser()
            browser.extraHeaders = [("X-Forwarded-For", "198.51.100.7, 203.0.113.\(index)")]
            #expect(try browser.fillAndSubmit("/cajacopi/ingreso", ["correo": "n\(index)@example.com", "contrasena": "x"]).status == 422)
        }
        let audit = try harness.context.database.read { tx in try tx.auditLog.recent(event: "login.failed", limit: 1) }
        #expect(audit.first?.clientAddress == "203.0.113.3")
    }

    @Test func clientAddressReadsForwardedForFromTheRightSkippingTrustedHops() throws {
        func request(_ peer: String, _ forwarded: String?) -> HTTPRequest {
            var headers = HTTPHeaders()
            if let forwarded { headers.add("X-Forwarded-For", forwarded) }
            return HTTPRequest(head: HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: headers), remoteAddress: peer)
        }
        let trusted = try TrustedProxies(["10.0.0.1", "10.0.0.2"])
        #expect(try ClientAddress.of(request("192.0.2.5", "203.0.113.9"), trustedProxies: trusted) == "192.0.2.5")
        #expect(try ClientAddress.of(request("10.0.0.1", "1.1.1.1, 203.0.113.9"), trustedProxies: trusted) == "203.0.113.9")
        #expect(try ClientAddress.of(request("10.0.0.1", "203.0.113.9, 10.0.0.2"), trustedProxies: trusted) == "203.0.113.9")
        #expect(try ClientAddress.of(request("10.0.0.1", nil), trustedProxies: trusted) == "10.0.0.1")
        // A trusted proxy's header that is not an address is refused (400), no longer replaced by the peer.
        #expect(throws: ForwardingError.malformedXForwardedFor) {
            try ClientAddress.of(request("10.0.0.1", "<script>"), trustedProxies: trusted)
        }
        #expect(try ClientAddress.of(request("10.0.0.1", "2001:db8::1"), trustedProxies: trusted) == "2001:db8::1")
        #expect(ClientAddress.isLoopback("127.0.0.1") && ClientAddress.isLoopback("::1"))
        #expect(!ClientAddress.isLoopback("192.0.2.1"))
    }

    @Test func policyDefaultsAreDocumentedValues() {
        let policy = RateLimitPolicy()
        #expect(policy.limits(for: "soi.login") == RateLimitPolicy.loginDefault)
        #expect(policy.limits(for: "secop.forgot-password") == RateLimitPolicy.requestDefault)
        #expect(RateLimitPolicy.loginDefault.perIdentifier.limit == 10)
    }
}
