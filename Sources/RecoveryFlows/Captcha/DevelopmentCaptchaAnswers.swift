import Foundation
import Synchronization

/// The answers of live captchas, in memory, for development mode only.
///
/// Automated tests (and the browser suite) must get through the captcha; in development mode
/// `GET /_dev/captcha/{id}` reads the answer from here. Production never creates this store, so
/// no answer is ever kept in clear there. Entries leave when their captcha expires or is checked.
public final class DevelopmentCaptchaAnswers: Sendable {
    private struct Entry { var answer: String; var audioAnswer: String?; var expiresAt: Date }
    private let entries = Mutex<[String: Entry]>([:])

    /// An empty store.
    public init() {}

    /// Keeps `answer` (and the audio's digits, `audioAnswer`) for captcha `id` until
    /// `expiresAt`; drops expired entries on the way.
    public func record(id: String, answer: String, audioAnswer: String? = nil, expiresAt: Date, now: Date) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.expiresAt > now }
            entries[id] = Entry(answer: answer, audioAnswer: audioAnswer, expiresAt: expiresAt)
        }
    }

    /// The answer of a live captcha, or nil when unknown, checked already, or expired.
    public func answer(id: String, now: Date) -> String? {
        entries.withLock { entries in
            guard let entry = entries[id], entry.expiresAt > now else { return nil }
            return entry.answer
        }
    }

    /// The digits the audio of a live captcha speaks, or nil when unknown, used, expired or
    /// without audio.
    public func audioAnswer(id: String, now: Date) -> String? {
        entries.withLock { entries in
            guard let entry = entries[id], entry.expiresAt > now else { return nil }
            return entry.audioAnswer
        }
    }

    /// Forgets a captcha (it was checked: right or wrong, it is used up).
    public func forget(id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// How many answers are held (for tests).
    public var count: Int { entries.withLock { $0.count } }
}
