import CaptchaImage
import ClaveCrypto
import ClaveLog
import Foundation
import UserStore

/// Why a captcha could not be made.
public enum CaptchaServiceError: Error, Sendable, Equatable {
    /// The system CSPRNG failed.
    case randomness
    /// The renderer refused the text (a bad alphabet or length in the configuration).
    case rendering
}

/// A captcha just made: the id the page carries in its hidden `captcha_id` field.
public struct IssuedCaptcha: Sendable, Equatable {
    /// 256 random bits, base64url: unguessable, so one user cannot read another's image.
    public var id: String
    /// When it stops being accepted.
    public var expiresAt: Date
}

/// The Cajacopi captcha: makes one (random id, random text drawn once as a PNG, only the
/// SHA-256 of the answer stored), serves its image while it is live, and checks an answer
/// once: right or wrong, a captcha is used up by its first check.
public struct CaptchaService: Sendable {
    /// Where captchas are stored (`tx.captchas`).
    public let database: Database
    /// How captchas behave.
    public let configuration: CaptchaConfiguration
    /// Answers kept for the development route; nil unless development mode asked for it.
    public let developmentAnswers: DevelopmentCaptchaAnswers?
    private let renderer: CaptchaRenderer
    private let logger = Logger(label: "captcha")

    /// A service over `database`. `developmentAnswers` is created here when the configuration
    /// asks for it, so there is no way to record answers with the flag off.
    public init(database: Database, configuration: CaptchaConfiguration = CaptchaConfiguration(),
                renderer: CaptchaRenderer = CaptchaRenderer()) {
        self.database = database
        self.configuration = configuration
        self.renderer = renderer
        self.developmentAnswers = configuration.recordsAnswersForDevelopment ? DevelopmentCaptchaAnswers() : nil
    }

    /// The images' size in pixels, for the page's `width` and `height` attributes.
    public var imageSize: (width: Int, height: Int) { (renderer.style.width, renderer.style.height) }

    /// Makes a new captcha for the browser whose session id hashes to `sessionHash` and stores
    /// it: only that session can answer it (``check(id:answer:sessionHash:now:)``), so a solved
    /// captcha cannot be carried to another browser. Pages with a captcha carry a CSRF token, so
    /// even an anonymous visitor has a session to bind it to.
    public func create(sessionHash: String, now: Date) throws -> IssuedCaptcha {
        let id: String
        let text: String
        do {
            id = try SecureRandom.token()
            let range = configuration.length
            let length = range.lowerBound + (try SecureRandom.uniform(range.count))
            text = try SecureRandom.string(length: length, alphabet: CaptchaAlphabet.standard.characters)
        } catch {
            throw CaptchaServiceError.randomness
        }
        // The drawing's jitter needs no secrecy beyond the text's; the system generator is
        // getrandom(2)-backed on Linux all the same.
        var random = SystemRandomNumberGenerator()
        let png: [UInt8]
        do {
            png = try renderer.render(text: text, random: &random)
        } catch {
            logger.error("captcha rendering failed", ["error": "\(error)"])
            throw CaptchaServiceError.rendering
        }
        let expiresAt = now.addingTimeInterval(configuration.lifetime)
        try database.write { tx in try tx.captchas.create(id: id, answerHash: SHA256.hex(text), image: png,
                                                                      sessionHash: sessionHash, expiresAt: expiresAt, now: now) }
        developmentAnswers?.record(id: id, answer: text, expiresAt: expiresAt, now: now)
        return IssuedCaptcha(id: id, expiresAt: expiresAt)
    }

    /// The PNG of a live captcha, or nil when the id is unknown, used or expired.
    public func image(id: String, now: Date) throws -> [UInt8]? {
        guard Self.isWellFormed(id: id) else { return nil }
        return try database.read { tx in try tx.captchas.image(id: id, now: now) }
    }

    /// Checks `answer` exactly (case-sensitive, no trimming: the page asks for no spaces) and
    /// uses the captcha up whatever the result. From a session other than the one it was drawn
    /// for, it is `.unknown` and stays as it was.
    public func check(id: String, answer: String, sessionHash: String, now: Date) throws -> CaptchaCheck {
        guard Self.isWellFormed(id: id) else { return .unknown }
        let check = try database.write { tx in
            try tx.captchas.check(id: id, answerHash: SHA256.hex(answer), sessionHash: sessionHash, now: now)
        }
        // A foreign session's try left the captcha live: its owner may still need the answer.
        if check != .unknown { developmentAnswers?.forget(id: id) }
        return check
    }

    /// Whether `id` looks like one of ours (43 base64url characters), so junk never reaches SQL.
    public static func isWellFormed(id: String) -> Bool {
        id.utf8.count == 43 && id.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x5F
        }
    }
}
