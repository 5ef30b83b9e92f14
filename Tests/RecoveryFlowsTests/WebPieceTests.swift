import Foundation
import HTTPCore
@testable import RecoveryFlows
import Testing

/// The shell's pure pieces, fed from literals.
@Suite struct WebPieceTests {
    @Test func flashNoticesRoundTripAndRejectTampering() throws {
        let key = Array("k".utf8)
        let notice = FlashNotice(.success, "Cerró su sesión: ¡listo! ; = ,")
        let value = notice.cookieValue(key: key)
        #expect(!value.contains(";") && !value.contains(" ") && !value.contains(","), "a valid cookie-octet string")
        #expect(FlashNotice.decode(value, key: key) == notice)
        #expect(FlashNotice.decode(value, key: Array("otra".utf8)) == nil)
        let parts = value.split(separator: ".")
        #expect(FlashNotice.decode("aW5mbzpIb2xh." + parts[1], key: key) == nil, "another text under the same MAC")
        #expect(FlashNotice.decode("", key: key) == nil)
        #expect(FlashNotice.decode("...", key: key) == nil)
    }

    @Test func securityHeadersKeepAHandlersOwnPolicyAndMarkTokenPages() {
        func request(_ target: String) -> HTTPRequest {
            HTTPRequest(head: HTTPRequestHead(method: .get, target: target, version: .http1_1, headers: HTTPHeaders()))
        }
        var page = HTTPResponse.html("<p>x</p>")
        SecurityHeaders.apply(to: &page, request: request("/secop/cambiar-contrasena?token=abc"), hsts: true)
        #expect(page.headers["Referrer-Policy"] == "no-referrer")
        #expect(page.headers["Strict-Transport-Security"] == SecurityHeaders.strictTransportSecurity)
        #expect(page.headers["Cache-Control"] == "no-store")
        var own = HTTPResponse.html("<p>x</p>")
        own.headers.replace("Content-Security-Policy", "default-src 'none'")
        SecurityHeaders.apply(to: &own, request: request("/"), hsts: false)
        #expect(own.headers["Content-Security-Policy"] == "default-src 'none'")
        #expect(own.headers["Referrer-Policy"] == "same-origin")
        #expect(own.headers["Strict-Transport-Security"] == nil)
        var css = HTTPResponse(headers: ["Content-Type": "text/css"])
        SecurityHeaders.apply(to: &css, request: request("/static/x.css"), hsts: false)
        #expect(css.headers["Cache-Control"] == nil, "static files keep their caching")
        #expect(css.headers["X-Content-Type-Options"] == "nosniff")
    }

    @Test func themesFollowThePath() {
        #expect(PortalTheme.forPath("/soi/ingreso")?.portal == .soi)
        #expect(PortalTheme.forPath("/secop")?.portal == .secop)
        #expect(PortalTheme.forPath("/cajacopi/captcha/1.png")?.portal == .cajacopi)
        #expect(PortalTheme.forPath("/soipa") == nil)
        #expect(PortalTheme.forPath("/") == nil)
    }

    @Test func sessionIDsAreLongRandomAndCheckedForShape() throws {
        let one = try SessionCookie.newID()
        let two = try SessionCookie.newID()
        #expect(one != two)
        #expect(SessionCookie.isWellFormed(one))
        #expect(!SessionCookie.isWellFormed("abc"))
        #expect(!SessionCookie.isWellFormed(String(repeating: "!", count: 43)))
        #expect(SessionCookie.hash(one).count == 64)
        let cookie = try SessionCookie.setting(one, secure: true).headerValue
        #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax"))
    }

    @Test func loginThrottleNeverExceedsNISTsHundred() {
        #expect(LoginThrottlePolicy(dailyFailures: 500).dailyFailures == 100)
        #expect(LoginThrottlePolicy().dailyFailures == 20)
        #expect(LoginThrottlePolicy(freeFailures: 50, dailyFailures: 10).freeFailures == 10)
        #expect(LoginThrottlePolicy(deviceFailures: 500).deviceFailures == 20)
        #expect(RateLimitRule(5, per: 0).window == 1)
    }
}
