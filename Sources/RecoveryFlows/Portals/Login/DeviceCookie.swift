import ClaveCrypto
import Foundation
import HTTPCore
import UserStore

/// The signed cookie that marks a browser as one the owner logged in with (OWASP Blocking
/// Brute Force Attacks, "device cookies"): such a browser gets through the throttle strangers
/// fill (``LoginThrottlePolicy``).
///
/// The value is the payload `v1:portal:user:nonce:expiry` as ``SignedText`` under the stored
/// `device` server key, so it cannot be made for an account or a portal it was not issued for,
/// nor kept past its expiry. The random nonce names
/// the browser's own failure counter (``throttleKey(serverKey:)``). One cookie per portal, on
/// the portal's path, `HttpOnly`, `SameSite=Strict` (only the portal's own login form needs
/// it), `Secure` behind HTTPS; it outlives the session and the logout on purpose.
struct DeviceCookie: Equatable {
    /// The name of the server key the cookies are signed with.
    static let serverKeyName = "device"
    /// Random bytes naming the browser.
    static let nonceBytes = 16

    /// The portal it was issued on.
    var portal: Portal
    /// The account that logged in.
    var userID: Int64
    /// The browser's random name (base64url).
    var nonce: String
    /// Unix seconds after which it is not trusted.
    var expiresAt: Int

    /// A new cookie for `userID` on `portal`, trusted until `lifetime` from `now`.
    static func issue(portal: Portal, userID: Int64, lifetime: TimeInterval, now: Date) throws -> DeviceCookie {
        DeviceCookie(portal: portal, userID: userID, nonce: try SecureRandom.token(bytes: nonceBytes),
                     expiresAt: Int(now.addingTimeInterval(lifetime).timeIntervalSince1970))
    }

    /// The cookie's name on `portal`.
    static func name(on portal: Portal) -> String { "clave_dispositivo_\(portal.rawValue)" }

    /// The cookie `request` carries for `portal`, when its signature holds and it has not expired.
    static func presented(in http: HTTPRequest, portal: Portal, key: [UInt8], now: Date) -> DeviceCookie? {
        guard let value = http.cookies[name(on: portal)], let cookie = decode(value, key: key),
              cookie.portal == portal, TimeInterval(cookie.expiresAt) > now.timeIntervalSince1970 else { return nil }
        return cookie
    }

    /// The `Set-Cookie` that stores it.
    func setting(key: [UInt8], secure: Bool, now: Date) -> SetCookie {
        SetCookie(name: Self.name(on: portal), value: value(key: key), path: "/\(portal.rawValue)",
                  maxAge: max(1, expiresAt - Int(now.timeIntervalSince1970)), secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The key of this browser's failure counter (`tx.loginThrottles`): a MAC of the nonce, so
    /// the table does not hold what the cookie holds.
    func throttleKey(serverKey: [UInt8]) -> String {
        "device:" + Hex.encode(HMACSHA256.authenticate(Array("throttle:\(nonce)".utf8), key: serverKey))
    }

    private var payload: String { "v1:\(portal.rawValue):\(userID):\(nonce):\(expiresAt)" }

    func value(key: [UInt8]) -> String { SignedText.seal(payload, key: key) }

    static func decode(_ value: String, key: [UInt8]) -> DeviceCookie? {
        guard let text = SignedText.open(value, key: key, maxLength: 512) else { return nil }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == "v1", let portal = Portal(rawValue: fields[1]), let userID = Int64(fields[2]),
              let expiresAt = Int(fields[4]) else { return nil }
        return DeviceCookie(portal: portal, userID: userID, nonce: fields[3], expiresAt: expiresAt)
    }
}
