import Foundation

/// A value shared by test threads behind a pthread lock (`NSLock`).
///
/// Tests use this rather than `Synchronization.Mutex` so that ThreadSanitizer runs
/// (`swift test --sanitize thread`) see the locking: the Mutex's futex is invisible to it and
/// its guarded value shows up as a false race.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, exclusively.
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
