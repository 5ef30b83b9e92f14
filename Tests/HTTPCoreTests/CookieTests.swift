import HTTPCore
import Testing

@Suite("CookieJar")
struct CookieJarTests {
    func pairs(_ header: String) -> [String] {
        CookieJar(header: header).cookies.map { "\($0.name)=\($0.value)" }
    }

    @Test func simplePairs() {
        #expect(pairs("sesion=abc; csrf=x1") == ["sesion=abc", "csrf=x1"])
        #expect(pairs("a=1;b=2") == ["a=1", "b=2"])
        #expect(pairs("  a = 1 ;  b=2  ") == ["a=1", "b=2"])
        #expect(pairs("") == [])
        #expect(pairs(";;;") == [])
    }

    @Test func quotedValuesAndEmptyValues() {
        #expect(pairs("a=\"quoted\"; b=; c=\"\"") == ["a=quoted", "b=", "c="])
        #expect(pairs("a=\"half") == [])
        #expect(pairs("a=\"in\"side\"") == [])
    }

    @Test func malformedPairsAreSkipped() {
        #expect(pairs("novalue; a=1") == ["a=1"])
        #expect(pairs("=1; a=1") == ["a=1"])
        #expect(pairs("bad name=1; a=1") == ["a=1"])
        #expect(pairs("a=has space; b=2") == ["b=2"])
        #expect(pairs("a=back\\slash; b=2") == ["b=2"])
        #expect(pairs("a=comma,x; b=2") == ["b=2"])
        #expect(pairs("a=caf\u{E9}; b=2") == ["b=2"])
        #expect(pairs("a=ctl\u{1}; b=2") == ["b=2"])
        #expect(pairs("a=x=y; b=2") == ["a=x=y", "b=2"])
    }

    @Test func firstOccurrenceWins() {
        let jar = CookieJar(header: "a=first; a=second; b=1")
        #expect(jar["a"] == "first")
        #expect(jar.count == 2)
    }

    @Test func countIsLimited() {
        let header = (0..<200).map { "c\($0)=\($0)" }.joined(separator: "; ")
        #expect(CookieJar(header: header).count == CookieJar.defaultMaxCount)
        #expect(CookieJar(header: header, maxCount: 3).cookies.map(\.name) == ["c0", "c1", "c2"])
    }

    @Test func requestCookiesFromEveryField() {
        var headers: HTTPHeaders = ["Host": "h", "Cookie": "a=1; b=2"]
        headers.add("Cookie", "c=3; a=4")
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: headers))
        #expect(request.cookies["a"] == "1")
        #expect(request.cookies["c"] == "3")
        #expect(request.cookies["zz"] == nil)
    }

    @Test func fromTheParser() {
        var parser = HTTPRequestParser()
        Array("GET / HTTP/1.1\r\nHost: h\r\nCookie: sesion=Zm9v_-; tema=oscuro\r\n\r\n".utf8).withUnsafeBytes { parser.append($0) }
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.cookies["sesion"] == "Zm9v_-")
        #expect(request.cookies["tema"] == "oscuro")
    }
}

@Suite("SetCookie")
struct CookieSetCookieTests {
    @Test func safeDefaults() throws {
        #expect(try SetCookie(name: "sesion", value: "abc").headerValue == "sesion=abc; Path=/; HttpOnly; SameSite=Lax")
    }

    @Test func everyAttribute() throws {
        let cookie = SetCookie(name: "s", value: "\"v\"", path: "/soi", domain: "example.co", maxAge: 3600,
                               expires: 784_111_777, secure: true, httpOnly: true, sameSite: .strict)
        #expect(try cookie.headerValue
            == "s=\"v\"; Path=/soi; Domain=example.co; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Strict")
        let bare = SetCookie(name: "s", value: "v", path: nil, httpOnly: false)
        #expect(try bare.headerValue == "s=v; SameSite=Lax")
    }

    @Test func deleting() throws {
        #expect(try SetCookie.deleting("sesion").headerValue
            == "sesion=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax")
    }

    @Test func sameSiteNoneNeedsSecure() throws {
        #expect(throws: SetCookie.Error.sameSiteNoneRequiresSecure) {
            try SetCookie(name: "a", value: "b", sameSite: .none).headerValue
        }
        #expect(try SetCookie(name: "a", value: "b", secure: true, sameSite: .none).headerValue
            == "a=b; Path=/; Secure; HttpOnly; SameSite=None")
    }

    @Test(arguments: ["", "a b", "a;b", "a=b", "a\r\nSet-Cookie: x", "caf\u{E9}", "a\u{0}"])
    func refusedNames(_ name: String) {
        #expect(throws: SetCookie.Error.invalidName) { try SetCookie(name: name, value: "v").headerValue }
    }

    @Test(arguments: ["a b", "a;b", "a,b", "a\\b", "\"", "a\"b", "x\r\nSet-Cookie: admin=1", "x\nX: y", "caf\u{E9}", "a\u{0}", "\u{7F}"])
    func refusedValues(_ value: String) {
        #expect(throws: SetCookie.Error.invalidValue) { try SetCookie(name: "n", value: value).headerValue }
    }

    @Test func refusedAttributes() {
        #expect(throws: SetCookie.Error.invalidPath) { try SetCookie(name: "n", value: "v", path: "/a; Domain=evil").headerValue }
        #expect(throws: SetCookie.Error.invalidPath) { try SetCookie(name: "n", value: "v", path: "/a\r\nX: y").headerValue }
        #expect(throws: SetCookie.Error.invalidDomain) { try SetCookie(name: "n", value: "v", domain: "a.co; Secure").headerValue }
        #expect(throws: SetCookie.Error.invalidDomain) { try SetCookie(name: "n", value: "v", domain: "").headerValue }
    }

    @Test func responseSetCookieAddsOneFieldPerCookieAndDropsRefused() {
        var response = HTTPResponse.redirect(to: "/soi/inicio")
        let first = response.setCookie(SetCookie(name: "a", value: "1"))
        let second = response.setCookie(SetCookie(name: "b", value: "2", secure: true))
        let injected = response.setCookie(SetCookie(name: "c", value: "x\r\nSet-Cookie: admin=1"))
        #expect(first && second && !injected)
        #expect(response.headers.values("Set-Cookie") == [
            "a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Path=/; Secure; HttpOnly; SameSite=Lax",
        ])
        let head = HTTPResponseWriter.head(for: response, keepAlive: true, date: "Sun, 06 Nov 1994 08:49:37 GMT", isHeadRequest: false)
        #expect(!String(decoding: head, as: UTF8.self).contains("admin"))
    }
}
