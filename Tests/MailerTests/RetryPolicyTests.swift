import Testing
@testable import Mailer

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("delays double from the base up to the cap")
    func exponential() {
        let policy = RetryPolicy(base: 30, factor: 2, cap: 3600, jitter: 0.2, maximumAttempts: 12)
        let delays = (1...10).map { policy.delay(afterAttempt: $0, unitRandom: 0.5) }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])
    }

    @Test("jitter spreads a delay by at most its fraction, both ways")
    func jitter() {
        let policy = RetryPolicy(base: 100, factor: 2, cap: 3600, jitter: 0.2)
        #expect(policy.delay(afterAttempt: 1, unitRandom: 0) == 80)
        #expect(policy.delay(afterAttempt: 1, unitRandom: 1) == 120)
        #expect(policy.delay(afterAttempt: 100, unitRandom: 1) == 3600 * 1.2)
        #expect(policy.delay(afterAttempt: 10_000, unitRandom: 0.5) == 3600)
    }

    @Test("attempts run out at the maximum")
    func exhaustion() {
        let policy = RetryPolicy(maximumAttempts: 3)
        #expect(!policy.isExhausted(attempts: 2))
        #expect(policy.isExhausted(attempts: 3))
        #expect(RetryPolicy(maximumAttempts: 0).maximumAttempts == 1)
    }
}
