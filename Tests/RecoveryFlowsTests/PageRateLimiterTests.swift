import Foundation
import RecoveryFlows
import Testing

/// The GET pages' per-address limits, counted in memory (a GET writes nothing).
@Suite struct PageRateLimiterTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = RateLimitPolicy(routes: ["pagina": RouteLimits(perAddress: RateLimitRule(2, per: 60),
                                                                       perIdentifier: RateLimitRule(2, per: 60))])

    @Test func anAddressGetsItsBudgetPerWindowThenWaits() throws {
        let limiter = PageRateLimiter(policy: Self.policy)
        try limiter.check(route: "pagina", address: "203.0.113.1", now: Self.start)
        try limiter.check(route: "pagina", address: "203.0.113.1", now: Self.start.addingTimeInterval(10))
        let refused = #expect(throws: RateLimited.self) {
            try limiter.check(route: "pagina", address: "203.0.113.1", now: Self.start.addingTimeInterval(20))
        }
        #expect(refused?.retryAfterSeconds == 40, "the window's end, not extended by the refusal")
        try limiter.check(route: "pagina", address: "198.51.100.9", now: Self.start.addingTimeInterval(20))
        try limiter.check(route: "otra", address: "203.0.113.1", now: Self.start.addingTimeInterval(20))
        try limiter.check(route: "pagina", address: "203.0.113.1", now: Self.start.addingTimeInterval(60))
    }

    @Test func aSprayOfAddressesIsBoundedByTheCapacity() throws {
        let limiter = PageRateLimiter(policy: Self.policy, capacity: 100)
        for index in 0..<1_000 {
            try limiter.check(route: "pagina", address: "10.0.\(index / 256).\(index % 256)", now: Self.start)
        }
        #expect(limiter.count <= 100)
        // Expired windows go before live ones.
        try limiter.check(route: "pagina", address: "203.0.113.1", now: Self.start.addingTimeInterval(61))
        #expect(limiter.count == 1)
    }
}
