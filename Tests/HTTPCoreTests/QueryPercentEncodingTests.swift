import HTTPCore
import Testing

@Suite("PercentEncoding")
struct QueryPercentEncodingTests {
    @Test func encodeKeepsOnlyUnreserved() {
        #expect(PercentEncoding.encode("AZaz09-._~") == "AZaz09-._~")
        #expect(PercentEncoding.encode("a b/é?&=+%#") == "a%20b%2F%C3%A9%3F%26%3D%2B%25%23")
        #expect(PercentEncoding.encode("") == "")
        #expect(PercentEncoding.encode("\u{0}\n") == "%00%0A")
    }

    @Test(arguments: ["token", "a b", "é€😀", "a+b=c&d", "%41", "/x/../y"])
    func encodedRoundTripsThroughAQuery(_ value: String) throws {
        let query = "v=" + PercentEncoding.encode(value)
        #expect(try FormData(query: query[...])["v"] == value)
        #expect(PercentEncoding.decodePath(PercentEncoding.encode(value)[...]).map { $0 == value } ?? true)
    }

    @Test func decodePathValid() {
        #expect(PercentEncoding.decodePath("/static/caf%C3%A9.css") == "/static/café.css")
        #expect(PercentEncoding.decodePath("/a+b/%20c") == "/a+b/ c")
        #expect(PercentEncoding.decodePath("/") == "/")
        #expect(PercentEncoding.decodePath("/a//b/") == "/a//b/")
        #expect(PercentEncoding.decodePath("/...x/.hidden") == "/...x/.hidden")
    }

    @Test(arguments: [
        "/a%", "/a%2", "/a%zz", "/a%00b", "/a%2Fb", "/a%2fb", "/a%5Cb", "/static/../secret",
        "/static/%2E%2E/secret", "/static/%2e./x", "/./x", "/x/..", "/%FF", "/%C3",
    ])
    func decodePathRefuses(_ path: String) {
        #expect(PercentEncoding.decodePath(path[...]) == nil)
    }

    /// A path without `%` takes a shortcut that checks its bytes in place; spelling its `x`s
    /// as `%78` forces the full decoding, which must give the same answer.
    @Test(arguments: [
        ("/x/app.css", "/x/app.css"), ("/x", "/x"), ("/x//b/", "/x//b/"), ("/...x/.hidden", "/...x/.hidden"),
        ("/x+b", "/x+b"), ("/.well-known/x", "/.well-known/x"), ("/x/.../y", "/x/.../y"), ("/x/..y", "/x/..y"),
        ("/.x/", "/.x/"), ("/x/../secret", nil), ("/./x", nil), ("/x/..", nil), ("/x/.", nil),
        ("/x\\b", nil), ("/x\u{0}b", nil),
    ] as [(String, String?)])
    func decodePathWithoutEscapesAnswersAsTheFullDecoding(_ path: String, _ expected: String?) {
        let forced = path.split(separator: "x", omittingEmptySubsequences: false).joined(separator: "%78")
        #expect(forced != path)
        #expect(PercentEncoding.decodePath(path[...]) == expected)
        #expect(PercentEncoding.decodePath(forced[...]) == expected)
    }

    @Test(arguments: ["/..", "/.", "/a/..", "/../a"])
    func bareDotSegmentsAreRefused(_ path: String) {
        #expect(PercentEncoding.decodePath(path[...]) == nil)
    }
}
