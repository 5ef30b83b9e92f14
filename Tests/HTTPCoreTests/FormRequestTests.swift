import HTTPCore
import Testing

@Suite("HTTPRequest forms and query items")
struct FormRequestTests {
    func request(target: String = "/", contentType: String?, body: String) -> HTTPRequest {
        var headers: HTTPHeaders = ["Host": "h"]
        if let contentType { headers.add("Content-Type", contentType) }
        return HTTPRequest(head: HTTPRequestHead(method: .post, target: target, version: .http1_1, headers: headers),
                           body: Array(body.utf8))
    }

    @Test(arguments: [
        "application/x-www-form-urlencoded",
        "Application/X-WWW-Form-URLEncoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "application/x-www-form-urlencoded;charset=\"utf-8\"",
    ])
    func acceptedContentTypes(_ contentType: String) throws {
        let form = try request(contentType: contentType, body: "correo=a%40b.co").form()
        #expect(form["correo"] == "a@b.co")
    }

    @Test(arguments: [
        "multipart/form-data; boundary=x", "text/plain", "application/json",
        "application/x-www-form-urlencoded; charset=iso-8859-1", "application/x-www-form-urlencodedx",
    ])
    func refusedContentTypes(_ contentType: String) {
        #expect(throws: FormDecodingError.unsupportedMediaType(contentType)) {
            try request(contentType: contentType, body: "a=1").form()
        }
        #expect(FormDecodingError.unsupportedMediaType(contentType).status == .unsupportedMediaType)
    }

    @Test func missingContentTypeIs415() {
        #expect(throws: FormDecodingError.unsupportedMediaType(nil)) { try request(contentType: nil, body: "a=1").form() }
    }

    @Test func bodyErrorsSurface() {
        #expect(throws: FormDecodingError.malformedEscape) {
            try request(contentType: "application/x-www-form-urlencoded", body: "a=%zz").form()
        }
    }

    @Test func queryItems() {
        let items = request(target: "/secop/cambiar-contrasena?token=AbC-_9&x=a+b", contentType: nil, body: "").queryItems
        #expect(items["token"] == "AbC-_9")
        #expect(items["x"] == "a b")
        #expect(request(target: "/", contentType: nil, body: "").queryItems.isEmpty)
        #expect(request(target: "/?", contentType: nil, body: "").queryItems.isEmpty)
    }

    @Test func malformedQueryGivesNoItems() {
        #expect(request(target: "/?token=%zz&a=1", contentType: nil, body: "").queryItems.isEmpty)
        #expect(throws: FormDecodingError.malformedEscape) { try FormData(query: "token=%zz&a=1") }
    }
}
