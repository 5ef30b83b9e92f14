import CaptchaAudio
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
    /// 128 random bits, the expiry and a MAC, base64url (``CaptchaService/isWellFormed(id:)``).
    public var id: String
    /// When it stops being accepted.
    public var expiresAt: Date
}

/// The Cajacopi captcha, stateless until it is answered.
///
/// An id is `base64url(nonce ‖ expiry ‖ tag)`: 16 random bytes, the expiry in seconds, and a
/// 16-byte MAC under the server's `captcha` key of both and of the browser's form cookie. The
/// answer is not stored anywhere: it is derived from HMAC(key, id ‖ form cookie) and mapped onto
/// ``CaptchaAlphabet/standard`` with the configured length, and the drawing's jitter continues
/// from the same stream (``CaptchaStream``). So:
/// - drawing a captcha (the request page's GET) writes nothing;
/// - the image route re-derives the text from the id and the asking browser's cookie, and the
///   same id always gives the same picture;
/// - another browser (another cookie) fails the tag: the id is `.unknown` there, and its try
///   does not burn the captcha (the binding the session-hash column used to give);
/// - an id cannot be re-dated or made up: the tag covers the expiry.
///
/// One use per captcha: the check (a POST) records the id in `spent_captchas` before comparing,
/// right or wrong; a second check, or the image, of a spent id is refused.
///
/// Each id also has an audio alternative (WCAG 2.1 SC 1.1.1 asks for a CAPTCHA in another
/// modality): digits only, derived the same way under their own label (`clave-captcha-audio`),
/// spoken from committed clips with pauses, gains and noise from that stream
/// (``AudioCaptchaComposer``). It is the same captcha: one id, one expiry, one browser, one use;
/// the answer field takes the image's letters or the audio's digits.
public struct CaptchaService: Sendable {
    /// The name of the server key answers are derived from.
    public static let serverKeyName = "captcha"
    /// Bytes of an id: nonce, expiry, tag.
    static let nonceBytes = 16, expiryBytes = 8, tagBytes = 16
    static var idBytes: Int { nonceBytes + expiryBytes + tagBytes }

    /// Where spent ids are recorded (`tx.captchas`).
    public let database: Database
    /// How captchas behave.
    public let configuration: CaptchaConfiguration
    /// Answers kept for the development route; nil unless development mode asked for it.
    public let developmentAnswers: DevelopmentCaptchaAnswers?
    private let key: [UInt8]
    private let renderer: CaptchaRenderer
    private let audioComposer: AudioCaptchaComposer?
    private let logger = Logger(label: "captcha")

    /// A service over `database` deriving answers with `key` (the stored `captcha` server key,
    /// so every process and every restart derives the same). `developmentAnswers` is created
    /// here when the configuration asks for it, so there is no way to record answers with the
    /// flag off. Without `spokenDigits` the captcha has no audio (and digits answer nothing).
    public init(database: Database, key: [UInt8], configuration: CaptchaConfiguration = CaptchaConfiguration(),
                renderer: CaptchaRenderer = CaptchaRenderer(), spokenDigits: SpokenDigits? = nil) {
        self.database = database
        self.key = key
        self.configuration = configuration
        self.renderer = renderer
        self.audioComposer = spokenDigits.map { AudioCaptchaComposer(digits: $0) }
        self.developmentAnswers = configuration.recordsAnswersForDevelopment ? DevelopmentCaptchaAnswers() : nil
    }

    /// The images' size in pixels, for the page's `width` and `height` attributes.
    public var imageSize: (width: Int, height: Int) { (renderer.style.width, renderer.style.height) }

    /// A new captcha for the browser whose form cookie is `browser`; only that browser can see
    /// its image or answer it. Writes nothing (development mode keeps the answer in memory).
    public func create(browser: String, now: Date) throws -> IssuedCaptcha {
        let nonce: [UInt8]
        do { nonce = try SecureRandom.bytes(Self.nonceBytes) } catch { throw CaptchaServiceError.randomness }
        let expiry = UInt64(max(0, now.addingTimeInterval(configuration.lifetime).timeIntervalSince1970.rounded(.up)))
        let body = nonce + withUnsafeBytes(of: expiry.bigEndian) { Array($0) }
        let id = Base64URL.encode(body + tag(body, browser: browser))
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        if let developmentAnswers {
            var stream = self.stream(id: id, browser: browser)
            var audio = audioStream(id: id, browser: browser)
            developmentAnswers.record(id: id, answer: text(from: &stream),
                                      audioAnswer: hasAudio ? digits(from: &audio) : nil, expiresAt: expiresAt, now: now)
        }
        return IssuedCaptcha(id: id, expiresAt: expiresAt)
    }

    /// Whether the captcha has its audio alternative (the spoken clips were given).
    public var hasAudio: Bool { audioComposer != nil }

    /// The PNG of a live captcha drawn for `browser`, or nil when the id is not ours, was drawn
    /// for another browser, is used or expired. The same id gives the same bytes every time.
    public func image(id: String, browser: String?, now: Date) throws -> [UInt8]? {
        guard let browser, try isLive(id: id, browser: browser, now: now) else { return nil }
        var stream = self.stream(id: id, browser: browser)
        let text = text(from: &stream)
        do {
            return try renderer.render(text: text, random: &stream)
        } catch {
            logger.error("captcha rendering failed", ["error": "\(error)"])
            throw CaptchaServiceError.rendering
        }
    }

    /// The audio alternative of a live captcha drawn for `browser` (digits only), under the
    /// same conditions as ``image(id:browser:now:)``; nil also when there is no audio.
    public func audio(id: String, browser: String?, now: Date) throws -> ComposedAudio? {
        guard let audioComposer, let browser, try isLive(id: id, browser: browser, now: now) else { return nil }
        var stream = audioStream(id: id, browser: browser)
        let digits = digits(from: &stream)
        return try? audioComposer.compose(digits, random: &stream)
    }

    /// Checks `answer` exactly (case-sensitive, no trimming: the page asks for no spaces) and
    /// uses the captcha up whatever the result. From a browser other than the one it was drawn
    /// for it is `.unknown` and stays as it was; an expired one is `.expired` (nothing written).
    public func check(id: String, answer: String, browser: String?, now: Date) throws -> CaptchaCheck {
        guard let browser, let expiresAt = verifiedExpiry(id: id, browser: browser) else { return .unknown }
        guard expiresAt > now else {
            developmentAnswers?.forget(id: id)
            return .expired
        }
        guard try database.write({ tx in try tx.captchas.spend(id: id, expiresAt: expiresAt, now: now) }) else { return .unknown }
        developmentAnswers?.forget(id: id)
        var stream = self.stream(id: id, browser: browser)
        var audio = audioStream(id: id, browser: browser)
        // Both compared every time, so the time taken does not say which one was tried.
        let image = ConstantTime.equals(answer, text(from: &stream))
        let spoken = ConstantTime.equals(answer, digits(from: &audio))
        return image || (hasAudio && spoken) ? .passed : .wrongAnswer
    }

    /// Whether `id` has the shape of one of ours (54 base64url characters, 40 bytes), so junk
    /// is never MACed nor reaches SQL.
    public static func isWellFormed(id: String) -> Bool {
        id.utf8.count == 54 && Base64URL.decode(id)?.count == idBytes
    }

    // MARK: Derivation

    /// Whether `id` is ours for `browser`, not expired and not spent (a read, no write).
    private func isLive(id: String, browser: String, now: Date) throws -> Bool {
        guard let expiresAt = verifiedExpiry(id: id, browser: browser), expiresAt > now else { return false }
        return try !database.read { tx in try tx.captchas.isSpent(id: id) }
    }

    /// The expiry of `id` when its tag holds for `browser`; nil for anything else.
    private func verifiedExpiry(id: String, browser: String) -> Date? {
        guard Self.isWellFormed(id: id), let bytes = Base64URL.decode(id) else { return nil }
        let body = Array(bytes[..<(Self.nonceBytes + Self.expiryBytes)])
        guard ConstantTime.equals(bytes[body.count...], tag(body, browser: browser)) else { return nil }
        let expiry = body[Self.nonceBytes...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Date(timeIntervalSince1970: TimeInterval(expiry))
    }

    /// The id's MAC: nonce and expiry, bound to the browser's form cookie.
    private func tag(_ body: [UInt8], browser: String) -> [UInt8] {
        Array(HMACSHA256.authenticate(Array("clave-captcha-id\u{0}".utf8) + body + [0] + Array(browser.utf8), key: key)
            .prefix(Self.tagBytes))
    }

    /// The secret stream of captcha `id` for `browser`: its answer, then its drawing.
    private func stream(id: String, browser: String) -> CaptchaStream {
        CaptchaStream(seed: HMACSHA256.authenticate(Array("clave-captcha-answer\u{0}\(id)\u{0}\(browser)".utf8), key: key))
    }

    /// The secret stream of the audio alternative: its own label, so knowing the digits says
    /// nothing about the letters.
    private func audioStream(id: String, browser: String) -> CaptchaStream {
        CaptchaStream(seed: HMACSHA256.authenticate(Array("clave-captcha-audio\u{0}\(id)\u{0}\(browser)".utf8), key: key))
    }

    /// The audio's answer: `audioDigits` digits.
    private func digits(from stream: inout CaptchaStream) -> String {
        String((0..<configuration.audioDigits).map { _ in Character(String(stream.uniform(10))) })
    }

    /// The answer: a length in the configured range, then characters of the standard alphabet.
    private func text(from stream: inout CaptchaStream) -> String {
        let range = configuration.length
        let alphabet = CaptchaAlphabet.standard.characters
        let length = range.lowerBound + stream.uniform(range.count)
        return String((0..<length).map { _ in alphabet[stream.uniform(alphabet.count)] })
    }
}
