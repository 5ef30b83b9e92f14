import Testing
@testable import HTTPCore

/// Routing by method and path pattern, 404/405, HEAD, mounts, redirects and middleware.
@Suite struct RouterTests {
    func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
        HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: ["Host": "x"]))
    }

    func sample() -> Router {
        var router = Router()
        router.get("/healthz", inline: true) { _ in .text("ok") }
        router.get("/cajacopi/captcha/{id}.png") { .text("captcha " + ($0.parameters["id"] ?? "-")) }
        router.post("/cajacopi/captcha") { _ in .text("nuevo") }
        router.get("/_correo/api/mensajes/{id}") { .text("mensaje " + ($0.parameters["id"] ?? "-")) }
        router.delete("/_correo/api/mensajes") { _ in HTTPResponse(status: .noContent) }
        router.redirect("/viejo", to: "/nuevo")
        return router
    }

    @Test func literalAndParameterRoutesMatch() throws {
        let router = sample()
        #expect(try router.respond(to: request(.get, "/healthz")).body == Array("ok".utf8))
        #expect(try router.respond(to: request(.get, "/healthz?x=1")).body == Array("ok".utf8))
        #expect(try router.respond(to: request(.get, "/cajacopi/captcha/ab12.png")).body == Array("captcha ab12".utf8))
        #expect(try router.respond(to: request(.get, "/_correo/api/mensajes/42")).body == Array("mensaje 42".utf8))
        #expect(try router.respond(to: request(.post, "/cajacopi/captcha")).body == Array("nuevo".utf8))
        #expect(try router.respond(to: request(.delete, "/_correo/api/mensajes")).status == .noContent)
    }

    @Test func parametersArePercentDecodedAndMalformedEscapesDoNotMatch() throws {
        let router = sample()
        #expect(try router.respond(to: request(.get, "/_correo/api/mensajes/a%20b")).body == Array("mensaje a b".utf8))
        #expect(try router.respond(to: request(.get, "/_correo/api/mensajes/%zz")).status == .notFound)
        #expect(try router.respond(to: request(.get, "/_correo/api/mensajes/%00")).status == .notFound)
    }

    @Test func aParameterMustBeNonEmptyAndKeepItsSuffix() throws {
        let router = sample()
        #expect(try router.respond(to: request(.get, "/cajacopi/captcha/.png")).status == .notFound)
        #expect(try router.respond(to: request(.get, "/cajacopi/captcha/ab12.gif")).status == .notFound)
        #expect(try router.respond(to: request(.get, "/cajacopi/captcha/ab12.png/x")).status == .notFound)
    }

    /// The router splits a path only for patterns that pass a cheap test (segment count, first
    /// literal); the test must never turn away a path that the full match accepts.
    @Test(arguments: ["/a/1", "/a/1/2", "/ab/1", "/b/1", "/a", "/a/", "/es/inicio", "/a//", "//inicio", "/"])
    func theCheapPatternTestNeverHidesAMatch(_ path: String) throws {
        for text in ["/a/{x}", "/a/{x}/{y}", "/{lang}/inicio", "/a/{x}.png", "/{x}"] {
            let pattern = try RoutePattern(text)
            let slashes = path.utf8.filter { $0 == UInt8(ascii: "/") }.count
            let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            if pattern.match(parts) != nil { #expect(pattern.mayMatch(path[...], segmentCount: slashes), "\(text) \(path)") }
        }
    }

    @Test func aPatternWhoseFirstSegmentIsAParameterStillMatches() throws {
        var router = Router()
        router.get("/a/{x}") { _ in .text("uno") }
        router.get("/{lang}/inicio") { _ in .text("inicio") }
        #expect(try router.respond(to: request(.get, "/a/1")).body == Array("uno".utf8))
        #expect(try router.respond(to: request(.get, "/es/inicio")).body == Array("inicio".utf8))
    }

    @Test func unknownPathsAre404() throws {
        let response = try sample().respond(to: request(.get, "/no-existe"))
        #expect(response.status == .notFound)
        #expect(String(decoding: response.body, as: UTF8.self).contains("no existe"))
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() throws {
        let router = sample()
        let response = try router.respond(to: request(.post, "/healthz"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
        let patterned = try router.respond(to: request(.put, "/_correo/api/mensajes/1"))
        #expect(patterned.status == .methodNotAllowed)
        #expect(patterned.headers["Allow"] == "GET, HEAD")
        #expect(try router.respond(to: request(.get, "/cajacopi/captcha")).headers["Allow"] == "POST")
    }

    @Test func headIsServedByTheGetRoute() throws {
        #expect(try sample().respond(to: request(.head, "/healthz")).body == Array("ok".utf8))
    }

    @Test func redirectsAnswerWithLocation() throws {
        let response = try sample().respond(to: request(.get, "/viejo"))
        #expect(response.status == .movedPermanently)
        #expect(response.headers["Location"] == "/nuevo")
    }

    @Test func mountsStripTheirPrefixAndLongestWins() throws {
        var router = Router()
        router.mount("/static/", ClosureResponder { .text("a:" + $0.target) })
        router.mount("/static/img/", ClosureResponder { .text("b:" + $0.target) })
        router.get("/static/special") { _ in .text("route") }
        #expect(try router.respond(to: request(.get, "/static/app.css?v=2")).body == Array("a:/app.css?v=2".utf8))
        #expect(try router.respond(to: request(.get, "/static/img/logo.png")).body == Array("b:/logo.png".utf8))
        #expect(try router.respond(to: request(.get, "/static/special")).body == Array("route".utf8))
        #expect(try router.respond(to: request(.get, "/staticx")).status == .notFound)
    }

    /// RFC 9112 §3.2.2: an absolute-form target reaches routes, parameters and mounts by its
    /// path alone, as the parser hands it on.
    @Test func anAbsoluteFormRequestIsRoutedByItsPath() throws {
        func parsed(_ target: String) throws -> HTTPRequest {
            try #require(ParserHarness.request("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n"))
        }
        var router = sample()
        router.mount("/static/", ClosureResponder { .text("static:" + $0.target) })
        #expect(try router.respond(to: parsed("http://clave.example/healthz?x=1")).body == Array("ok".utf8))
        #expect(try router.respond(to: parsed("HTTPS://h/cajacopi/captcha/ab12.png")).body == Array("captcha ab12".utf8))
        #expect(try router.respond(to: parsed("http://h/static/app.css?v=2")).body == Array("static:/app.css?v=2".utf8))
        #expect(try router.respond(to: parsed("http://h")).status == .notFound)
    }

    @Test func inlineIsDeclaredPerRoute() {
        let router = sample()
        #expect(router.respondsInline(to: request(.get, "/healthz").head))
        #expect(!router.respondsInline(to: request(.get, "/_correo/api/mensajes/1").head))
        #expect(router.respondsInline(to: request(.get, "/no-existe").head))
    }

    @Test func invalidPatternsAreRejected() {
        for pattern in ["sin-barra", "/a/{", "/a/{}", "/a/}x", "/a/{x}{y}"] {
            #expect(throws: RouterError.invalidPattern(pattern)) {
                var router = Router()
                try router.tryAdd(.get, pattern) { _ in .text("") }
            }
        }
    }

    @Test func addListsMalformedPatternsInsteadOfThrowing() {
        var router = sample()
        #expect(router.invalidPatterns.isEmpty)
        router.get("/a/{") { _ in .text("") }
        #expect(router.invalidPatterns == ["/a/{"])
    }

    struct Tag: HTTPMiddleware {
        let name: String
        func respond(to request: HTTPRequest, next: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
            var request = request
            request.parameters["trail", default: ""] += name
            var response = try next(request)
            response.headers.add("X-Trail", name)
            return response
        }
        var isNonBlocking: Bool { name != "slow" }
    }

    @Test func middlewaresRunInOrderAroundTheResponder() throws {
        let responder = ClosureResponder(inline: true) { .text($0.parameters["trail"] ?? "") }
        let chain = MiddlewareChain([Tag(name: "a"), Tag(name: "b")], responder: responder)
        let response = try chain.respond(to: request(.get, "/"))
        #expect(response.body == Array("ab".utf8))
        #expect(response.headers.values("X-Trail") == ["b", "a"])
        #expect(chain.respondsInline(to: request(.get, "/").head))
        let blocking = MiddlewareChain([Tag(name: "slow")], responder: responder)
        #expect(!blocking.respondsInline(to: request(.get, "/").head))
    }
}
