import Foundation
import Testing
import TestSupport
@testable import HTTPCore

/// Static files from a temporary folder: types, validators, caching and traversal attempts.
@Suite struct StaticFilesTests {
    let folder: TemporaryDirectory
    let files: StaticFiles

    init() throws {
        folder = try TemporaryDirectory(prefix: "static-files")
        let root = folder.url
        try FileManager.default.createDirectory(at: root.appendingPathComponent("public/css"), withIntermediateDirectories: true)
        try Data("body{}".utf8).write(to: root.appendingPathComponent("public/css/app.css"))
        try Data("<h1>inicio</h1>".utf8).write(to: root.appendingPathComponent("public/index.html"))
        try Data("hola".utf8).write(to: root.appendingPathComponent("public/nombre con espacio.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: root.appendingPathComponent("public/logo.PNG"))
        try Data("secreto".utf8).write(to: root.appendingPathComponent("public/.env"))
        try Data("fuera".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try Data(repeating: 0x61, count: 2048).write(to: root.appendingPathComponent("public/grande.bin"))
        try Data("por ciento".utf8).write(to: root.appendingPathComponent("public/por%41.txt"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("public/enlace.txt"), withDestinationURL: root.appendingPathComponent("secret.txt"))
        files = try StaticFiles(folder: folder.path("public"), options: StaticFiles.Options(maxAge: 60, maxCachedFileSize: 1024))
    }

    func get(_ target: String, method: HTTPMethod = .get, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        try files.respond(to: HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: headers)))
    }

    @Test func servesFilesWithTheirTypeAndCacheHeaders() throws {
        let css = try get("/css/app.css")
        #expect(css.status == .ok)
        #expect(css.body == Array("body{}".utf8))
        #expect(css.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(css.headers["Cache-Control"] == "public, max-age=60")
        #expect(css.headers["X-Content-Type-Options"] == "nosniff")
        #expect(try get("/logo.PNG").headers["Content-Type"] == "image/png")
        #expect(try get("/grande.bin").headers["Content-Type"] == "application/octet-stream")
        #expect(try get("/nombre%20con%20espacio.txt").body == Array("hola".utf8))
    }

    @Test func aFolderPathServesItsIndex() throws {
        #expect(try get("/").body == Array("<h1>inicio</h1>".utf8))
        #expect(try get("/css/").status == .notFound)
    }

    @Test func ifNoneMatchWithTheCurrentETagAnswers304() throws {
        let first = try get("/css/app.css")
        let etag = try #require(first.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let revalidated = try get("/css/app.css", headers: ["If-None-Match": "\"otro\", W/\(etag)"])
        #expect(revalidated.status == .notModified)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers["ETag"] == etag)
        #expect(try get("/css/app.css", headers: ["If-None-Match": "*"]).status == .notModified)
        #expect(try get("/css/app.css", headers: ["If-None-Match": "\"otro\""]).status == .ok)
    }

    @Test func theETagChangesWithTheContent() {
        #expect(StaticFiles.etag(of: Array("a".utf8)) != StaticFiles.etag(of: Array("b".utf8)))
        #expect(StaticFiles.etag(of: Array("a".utf8)) == StaticFiles.etag(of: Array("a".utf8)))
    }

    @Test(arguments: [
        "/../secret.txt", "/css/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt", "/css/..%5c..%5csecret.txt", "/.env", "/%2eenv", "/enlace.txt",
        "/css/app.css%00.png", "/%zz", "/no-existe.css", "//etc/passwd",
    ])
    func nothingOutsideTheIndexedFilesIsServed(target: String) throws {
        #expect(try get(target).status == .notFound)
    }

    /// A request path that names a file as it is takes a shortcut (one look-up of the raw path);
    /// any other spelling of the same file goes through the full decoding to the same answer.
    @Test func everySpellingOfAPathServesTheSameFile() throws {
        let plain = try get("/css/app.css")
        for spelling in ["/css/%61pp.css", "/css//app.css", "/%63ss/app.css", "/css/app.css?v=2"] {
            let response = try get(spelling)
            #expect(response.status == .ok, "\(spelling)")
            #expect(response.body == plain.body)
            #expect(response.headers == plain.headers)
        }
    }

    /// A file whose name holds `%` is named by its escaped spelling: the raw name decodes to
    /// another file, and the shortcut must not serve it under that name.
    @Test func aFileNamedWithAPercentIsServedUnderItsEscapedName() throws {
        #expect(try get("/por%2541.txt").body == Array("por ciento".utf8))
        #expect(try get("/por%41.txt").status == .notFound)
        #expect(try get("/porA.txt").status == .notFound)
    }

    @Test func onlyGetAndHeadAreAllowed() throws {
        let response = try get("/css/app.css", method: .post)
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(try get("/css/app.css", method: .head).status == .ok)
    }

    @Test func largeFilesAreReadFromDiskOnAWorker() throws {
        #expect(try get("/grande.bin").body.count == 2048)
        let head = HTTPRequestHead(method: .get, target: "/grande.bin", version: .http1_1, headers: [:])
        #expect(!files.respondsInline(to: head))
        let small = HTTPRequestHead(method: .get, target: "/css/app.css", version: .http1_1, headers: [:])
        #expect(files.respondsInline(to: small))
    }

    @Test func aMissingFolderIsAnError() {
        #expect(throws: StaticFiles.Failure.notADirectory("/no/existe")) {
            try StaticFiles(folder: "/no/existe")
        }
    }

    @Test func contentTypesByExtension() {
        #expect(ContentTypes.forPath("a/b.HTML") == "text/html; charset=utf-8")
        #expect(ContentTypes.forPath("app.js") == "text/javascript; charset=utf-8")
        #expect(ContentTypes.forPath(".bashrc") == "application/octet-stream")
        #expect(ContentTypes.forPath("sin-extension") == "application/octet-stream")
    }

    @Test func servedOverALiveServerUnderAMount() throws {
        var router = Router()
        router.mount("/static/", files)
        let live = try LiveServer(router)
        let client = try live.connect()
        try client.send("GET /static/css/app.css HTTP/1.1\r\nHost: x\r\n\r\nGET /static/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        let css = try client.readResponse()
        #expect(css.status == 200)
        #expect(css.text == "body{}")
        #expect(try client.readResponse().status == 404)
    }
}
