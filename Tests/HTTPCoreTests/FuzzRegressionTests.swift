import Foundation
import HTTPCore
import Testing
import TestSupport

/// Inputs found by fuzzing (kept as literals so they run on every `swift test`) and the seed
/// corpora of `Fuzz/*/corpus`, replayed through the same properties the fuzzers check.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func corpus(_ target: String) -> [[UInt8]] {
        let folder = PackagePaths.root.appendingPathComponent("Fuzz/\(target)/corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
            .map { [UInt8]($0) }
    }

    /// The limits the request fuzzer also runs with, to reach the limit paths.
    static let fuzzLimits = HTTPLimits(maxRequestLineLength: 64, maxHeaderFieldLength: 48, maxHeaderCount: 4,
                                       maxHeadLength: 160, maxBodyLength: 32, maxChunkLineLength: 24)

    /// Found by fuzz-http-request: a bare-LF line that also overflows the head budget gave 400
    /// when whole but 431 when split before its LF (the complete-line checks ran in another
    /// order than the incomplete-line ones).
    @Test func bareLFLineOverTheHeadBudget() {
        let input = Array(("GET /soi/ingreso?x=1&y=%C3%A9 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Mozilla/5.0\r\n"
            + "Accept: text/html,application/xhtml+xml;q=0.9\r\nAccept-Language: es-CO,es;q=0.9\n\rCookie: sesion=abc; "
            + "csrft: text/html,application/xhtml").utf8)
        let whole = ParserHarness.events(input, limits: Self.fuzzLimits)
        #expect(whole.last == .error(.headerFieldsTooLarge))
        for cuts in ParserHarness.splits(of: input.count) + [[71, 161]] {
            #expect(ParserHarness.events(input, cuts: cuts, limits: Self.fuzzLimits) == whole)
        }
        let minimal = Array("GET / HTTP/1.1\r\nHost: h\r\nX: 0123456789\n\r\n".utf8)
        let limits = HTTPLimits(maxHeadLength: 30)
        #expect(ParserHarness.events(minimal, limits: limits) == [.error(.headerFieldsTooLarge)])
        for cuts in ParserHarness.splits(of: minimal.count) {
            #expect(ParserHarness.events(minimal, cuts: cuts, limits: limits) == [.error(.headerFieldsTooLarge)])
        }
    }

    /// Found by fuzz-form: "/" followed by a combining mark (U+0657) is one Character, so a
    /// Character-based split saw one segment where the decoder (which splits on bytes) saw
    /// two. The decoder was right; the property now splits on bytes too.
    @Test func slashFollowedByCombiningMark() {
        let text = String(decoding: [0x2F, 0xD9, 0x97, 0x9E, 0x98, 0xD9, 0x87, 0xE5] as [UInt8], as: UTF8.self)
        let path = PercentEncoding.decodePath(text[...])
        #expect(path == text)
        let segments = text.utf8.split(separator: 0x2F, omittingEmptySubsequences: false)
            .map { PercentEncoding.encode(String(decoding: $0, as: UTF8.self)) }
        #expect(segments.count == 2)
        #expect(PercentEncoding.decodePath(segments.joined(separator: "/")[...]) == path)
    }

    @Test func requestCorpusGivesTheSameEventsAtEverySplit() {
        let inputs = Self.corpus("HTTPRequest")
        #expect(inputs.count >= 12)
        for input in inputs {
            let whole = ParserHarness.events(input, keepContinue: false)
            #expect(!whole.isEmpty)
            for cuts in ParserHarness.splits(of: input.count) {
                #expect(ParserHarness.events(input, cuts: cuts, keepContinue: false) == whole)
            }
        }
    }

    @Test func formCorpusDecodesOrFailsCleanly() {
        let inputs = Self.corpus("Form")
        #expect(inputs.count >= 12)
        for input in inputs {
            if let form = try? FormData(urlEncoded: input) {
                let encoded = form.pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
                    .joined(separator: "&")
                #expect((try? FormData(urlEncoded: Array(encoded.utf8))) == form)
            }
        }
    }

    @Test func cookieCorpusRoundTrips() throws {
        let inputs = Self.corpus("Cookie")
        #expect(inputs.count >= 12)
        for input in inputs {
            let jar = CookieJar(header: String(decoding: input, as: UTF8.self))
            for cookie in jar.cookies {
                let written = try SetCookie(name: cookie.name, value: cookie.value, path: nil, httpOnly: false).headerValue
                let back = CookieJar(header: written).cookies.first
                #expect(back?.name == cookie.name && back?.value == cookie.value)
            }
        }
    }
}
