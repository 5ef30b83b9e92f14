import Foundation
import Synchronization

/// Per-address limits of GET pages, counted in this process's memory, never in the database.
///
/// A GET must write nothing (a flood of cookieless GETs must grow no table), yet two GET pages
/// keep a per-address budget worth having: Cajacopi's request page draws a captcha per view (a
/// PNG to render, and wrong answers are bounded by how many captchas one can draw), and the
/// emailed links' pages look a token up. Their ``RateLimitPolicy`` entries are applied here with
/// the same fixed windows as ``RateLimiter``; POSTs keep the stored, shared counters.
///
/// What this gives up, on purpose: each process (each node) counts alone, and a restart forgets
/// the counts. Neither matters for these pages: link tokens are 256 random bits, so guessing
/// them by GET is pointless at any rate, and the captcha's real bound is that every answer is a
/// POST, which is counted in the store. The table is bounded (``capacity`` addresses × routes):
/// when full, expired windows go first, then the oldest, so a spray of addresses costs memory,
/// not an outage.
public final class PageRateLimiter: Sendable {
    /// The default bound on counters held: at about 100 bytes each, a megabyte.
    public static let defaultCapacity = 10_000

    private struct Window { var start: Date; var count: Int; var length: TimeInterval }
    private let windows = Mutex<[String: Window]>([:])
    /// The limits (per-address rules only: GET pages pass no identifier).
    public let policy: RateLimitPolicy
    /// The most counters held at once.
    public let capacity: Int

    /// A limiter applying `policy`'s per-address rules, holding at most `capacity` counters.
    public init(policy: RateLimitPolicy, capacity: Int = PageRateLimiter.defaultCapacity) {
        self.policy = policy
        self.capacity = max(1, capacity)
    }

    /// Counts one view of `route` from `address`; throws ``RateLimited`` when the address's
    /// budget for the window is spent. A refused view does not extend the window.
    public func check(route: String, address: String, now: Date) throws {
        let rule = policy.limits(for: route).perAddress
        let key = "\(route) \(address)"
        let retryAfter: TimeInterval? = windows.withLock { windows in
            if let window = windows[key], window.start.addingTimeInterval(window.length) > now {
                guard window.count < rule.limit else { return window.start.addingTimeInterval(window.length).timeIntervalSince(now) }
                windows[key]?.count += 1
                return nil
            }
            guard rule.limit > 0 else { return rule.window }
            if windows[key] == nil, windows.count >= capacity { Self.makeRoom(in: &windows, now: now) }
            windows[key] = Window(start: now, count: 1, length: rule.window)
            return nil
        }
        if let retryAfter { throw RateLimited(retryAfter: retryAfter) }
    }

    /// How many counters are held (for tests).
    public var count: Int { windows.withLock { $0.count } }

    /// Drops expired windows, or when none has expired the oldest one.
    private static func makeRoom(in windows: inout [String: Window], now: Date) {
        let before = windows.count
        windows = windows.filter { $0.value.start.addingTimeInterval($0.value.length) > now }
        if windows.count == before, let oldest = windows.min(by: { $0.value.start < $1.value.start })?.key {
            windows[oldest] = nil
        }
    }
}
