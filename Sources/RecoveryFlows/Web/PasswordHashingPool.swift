import Dispatch
import Foundation
import HTTPCore

/// A small semaphore around password hashing so it never takes every worker thread.
///
/// scrypt at the default cost takes tens of milliseconds and 16 MiB; without a bound, a burst
/// of logins would park every handler thread in hashing and starve the cheap pages. A request
/// waits up to `wait` for a slot, then gets 503 with `Retry-After` (DESIGN.md, Request path).
public final class PasswordHashingPool: @unchecked Sendable {
    private let slots: DispatchSemaphore
    /// At most this many hashes at once.
    public let concurrency: Int
    /// How long a caller waits for a slot.
    public let wait: TimeInterval

    /// A pool of `concurrency` slots.
    public init(concurrency: Int, wait: TimeInterval) {
        self.concurrency = max(1, concurrency)
        self.wait = wait
        slots = DispatchSemaphore(value: max(1, concurrency))
    }

    /// Runs `body` while holding a slot; throws `HTTPError(.serviceUnavailable)` when none frees
    /// up in time.
    public func run<T>(_ body: () throws -> T) throws -> T {
        guard slots.wait(timeout: .now() + wait) == .success else {
            throw HTTPError(.serviceUnavailable, message: "El servicio está ocupado. Intente de nuevo en unos segundos.",
                            headers: ["Retry-After": "5"])
        }
        defer { slots.signal() }
        return try body()
    }
}
